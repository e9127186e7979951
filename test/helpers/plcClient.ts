import {
  AttributeIds,
  type ClientSession,
  type DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  UserTokenType,
} from 'node-opcua';

export interface PlcOptions {
  port: number;
  /** The user's password; none: an anonymous session. */
  password?: string;
  user?: string;
  security?: 'none' | 'sign-and-encrypt';
  /** Where the client keeps its own certificate (needed for signed connections). */
  pkiDir?: string;
}

/** A PLC as the station's tests and benchmarks play it: a node-opcua session on the line nodes (docs/line-integration.md). */
export interface Plc {
  session: ClientSession;
  /** Values of line nodes by name below QAStation ('Ready', 'Inputs.Product'), keyed by that name. */
  read(...names: string[]): Promise<Record<string, unknown>>;
  /** A method on QAStation; its ErrorCode answer. */
  call(method: string, args?: { dataType: DataType; value: unknown }[]): Promise<number>;
  /** Writes an input (Trigger, ResultAck, Product); the write's status name (Good, BadInvalidState...). */
  write(input: string, dataType: DataType, value: unknown): Promise<string>;
  close(): Promise<void>;
}

export const lineNode = (name: string) => `ns=1;s=QAStation.${name}`;

export async function connectPlc(options: PlcOptions): Promise<Plc> {
  const encrypted = options.security === 'sign-and-encrypt';
  const client = OPCUAClient.create({
    endpointMustExist: false,
    securityMode: encrypted ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None,
    securityPolicy: encrypted ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None,
    ...(options.pkiDir
      ? {
          clientCertificateManager: new OPCUACertificateManager({
            rootFolder: options.pkiDir,
            automaticallyAcceptUnknownCertificate: true,
          }),
        }
      : {}),
    connectionStrategy: { maxRetry: 2, initialDelay: 200, maxDelay: 500 },
  });
  await client.connect(`opc.tcp://127.0.0.1:${options.port}`);
  let session: ClientSession;
  try {
    session =
      options.password === undefined
        ? await client.createSession()
        : await client.createSession({ type: UserTokenType.UserName, userName: options.user ?? 'plc', password: options.password });
  } catch (error) {
    await client.disconnect();
    throw error;
  }
  return {
    session,
    async read(...names) {
      const values = await session.read(names.map((n) => ({ nodeId: lineNode(n), attributeId: AttributeIds.Value })));
      return Object.fromEntries(names.map((n, i) => [n, values[i]?.value.value]));
    },
    async call(method, args = []) {
      const result = await session.call({ objectId: 'ns=1;s=QAStation', methodId: lineNode(method), inputArguments: args });
      if (result.statusCode.name !== 'Good') throw new Error(`${method}: ${result.statusCode.name}`);
      return result.outputArguments?.[0]?.value as number;
    },
    async write(input, dataType, value) {
      const status = await session.write({
        nodeId: lineNode(`Inputs.${input}`),
        attributeId: AttributeIds.Value,
        value: { value: { dataType, value } },
      });
      return status.name;
    },
    async close() {
      await session.close();
      await client.disconnect();
    },
  };
}
