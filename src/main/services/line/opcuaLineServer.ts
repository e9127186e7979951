import { format } from 'node:util';
import {
  type AddressSpace,
  DataType,
  MessageSecurityMode,
  type Namespace,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  setErrorLogger,
  setWarningLogger,
  StatusCodes,
  type UAObject,
  type UAVariable,
  Variant,
} from 'node-opcua';
import type { LineHandshake, OpcuaSecurity } from '../../../shared/api/apiRecords';
import { LINE_ERROR_CODES, type LineErrorName } from './lineErrors';
import type { TriggerHandshake } from './triggerHandshake';

/**
 * The object under Objects that holds the line's nodes, in the server's own namespace (index 1):
 * outputs `ns=1;s=QAStation.<Name>`, inputs `ns=1;s=QAStation.Inputs.<Name>`, methods `ns=1;s=QAStation.<Method>`.
 */
export const LINE_OBJECT = 'QAStation';
const nodeId = (...path: string[]) => `s=${[LINE_OBJECT, ...path].join('.')}`;

export interface OpcuaServerConfig {
  port: number;
  security: OpcuaSecurity;
  anonymous: boolean;
  /** Checks a user name and password (the settings' user against its salted hash); a refusal is the caller's to record. */
  isValidUser(user: string, password: string): boolean;
  /** The station's certificate and the clients' (trusted, rejected) are kept here. */
  pkiDir: string;
  /** node-opcua's own warnings go to the station log. */
  warn(message: string): void;
}

type Output = [name: string, key: keyof LineHandshake, type: DataType];

/** What the PLC reads, in the handshake's state (docs/line-integration.md has the table). */
const OUTPUTS: Output[] = [
  ['Ready', 'ready', DataType.Boolean],
  ['ReadyProblem', 'readyProblem', DataType.String],
  ['Busy', 'busy', DataType.Boolean],
  ['ResultReady', 'resultReady', DataType.Boolean],
  ['Pass', 'pass', DataType.Boolean],
  ['Fail', 'fail', DataType.Boolean],
  ['Error', 'error', DataType.Boolean],
  ['ErrorCode', 'errorCode', DataType.Int32],
  ['LastError', 'lastError', DataType.String],
  ['Score', 'score', DataType.Double],
  ['Threshold', 'threshold', DataType.Double],
  ['RawScore', 'rawScore', DataType.Double],
  ['RawThreshold', 'rawThreshold', DataType.Double],
  ['ModelVersion', 'modelVersion', DataType.String],
  ['VerdictCounter', 'resultCounter', DataType.UInt32],
  ['InspectionId', 'inspectionId', DataType.UInt32],
  ['TriggerToResultMs', 'triggerToResultMs', DataType.Double],
];

const SECURITY: Record<OpcuaSecurity, { modes: MessageSecurityMode[]; policies: SecurityPolicy[] }> = {
  // Basic256Sha256 listed too: over a plain channel the password is still encrypted with the station's certificate.
  none: { modes: [MessageSecurityMode.None], policies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256] },
  sign: { modes: [MessageSecurityMode.Sign], policies: [SecurityPolicy.Basic256Sha256] },
  'sign-and-encrypt': { modes: [MessageSecurityMode.SignAndEncrypt], policies: [SecurityPolicy.Basic256Sha256] },
};

export interface RunningOpcuaServer {
  endpoint: string;
  sessions(): number;
  /** The handshake changed: the variables follow (subscribed clients are told at once). */
  update(state: LineHandshake): void;
  close(): Promise<void>;
}

/** Answers that leave the handshake as it was (the rest start a trigger, or end one with Error). */
const REFUSALS = new Set<LineErrorName>(['busy', 'notAcknowledged']);

const answer = (name: LineErrorName) => [new Variant({ dataType: DataType.Int32, value: LINE_ERROR_CODES[name] })];
const errorCodeArgument = {
  name: 'ErrorCode',
  dataType: DataType.Int32,
  description: '0: done; otherwise why not (docs/line-integration.md)',
};

/**
 * The station's OPC UA server for the line's PLC: the trigger handshake as variables (outputs read
 * only; Trigger, ResultAck and Product writable) and as methods. Writes and calls go to the
 * handshake; its changes are pushed into the variables.
 */
export async function startOpcuaLineServer(handshake: TriggerHandshake, config: OpcuaServerConfig): Promise<RunningOpcuaServer> {
  // node-opcua puts where it logged from ({filename, callerline}) first: the station log keeps the words.
  const words = (args: unknown[]) => format(...args.filter((a) => !(typeof a === 'object' && a !== null && 'callerline' in a)));
  const warn = (...args: unknown[]) => {
    const message = words(args);
    // Said for every client that dials an address other than the advertised host name (127.0.0.1): not news.
    if (!/Cannot find suitable endpoints/.test(message)) config.warn(message);
  };
  setWarningLogger(warn);
  setErrorLogger(warn);
  const security = SECURITY[config.security];
  const server = new OPCUAServer({
    port: config.port,
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: config.pkiDir, automaticallyAcceptUnknownCertificate: true }),
    securityModes: security.modes,
    securityPolicies: security.policies,
    allowAnonymous: config.anonymous,
    userManager: { isValidUser: (user: string, password: string) => config.isValidUser(user, password) },
    buildInfo: { productName: 'QA Station', manufacturerName: 'QA Station' },
    serverInfo: { applicationName: { text: 'QA Station line server' } },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace as AddressSpace;
  const namespace = addressSpace.getOwnNamespace();
  const station = namespace.addObject({
    organizedBy: addressSpace.rootFolder.objects,
    browseName: LINE_OBJECT,
    nodeId: nodeId(),
  });
  const outputs = addOutputs(namespace, station, handshake.snapshot());
  const inputs = namespace.addObject({ componentOf: station, browseName: 'Inputs', nodeId: nodeId('Inputs') });
  addInputs(namespace, inputs, handshake);
  addMethods(namespace, station, handshake);
  try {
    await server.start();
  } catch (error) {
    await server.shutdown().catch(() => undefined);
    throw error;
  }
  return {
    endpoint: server.getEndpointUrl(),
    sessions: () => server.currentSessionCount,
    update(state) {
      for (const [, key, type] of OUTPUTS) outputs.get(key)?.setValueFromSource(new Variant({ dataType: type, value: state[key] }));
    },
    close: () => server.shutdown(0),
  };
}

function addOutputs(namespace: Namespace, station: UAObject, state: LineHandshake): Map<keyof LineHandshake, UAVariable> {
  const variables = new Map<keyof LineHandshake, UAVariable>();
  for (const [name, key, type] of OUTPUTS) {
    const variable = namespace.addVariable({
      componentOf: station,
      browseName: name,
      nodeId: nodeId(name),
      dataType: DataType[type],
      // The station's answers: no client may write them (a written Pass would let a part through).
      accessLevel: 'CurrentRead',
      userAccessLevel: 'CurrentRead',
      minimumSamplingInterval: 0, // changes are pushed, not polled
      value: new Variant({ dataType: type, value: state[key] }),
    });
    variables.set(key, variable);
  }
  return variables;
}

/** Trigger and ResultAck act on a rising edge (false -> true); Product selects the recipe by name. */
function addInputs(namespace: Namespace, inputs: UAObject, handshake: TriggerHandshake): void {
  const edge = (name: string, act: () => LineErrorName) => {
    let level = false;
    namespace.addVariable({
      componentOf: inputs,
      browseName: name,
      nodeId: nodeId('Inputs', name),
      dataType: 'Boolean',
      accessLevel: 'CurrentRead | CurrentWrite',
      userAccessLevel: 'CurrentRead | CurrentWrite',
      minimumSamplingInterval: 100, // read through a getter: sampled
      value: {
        get: () => new Variant({ dataType: DataType.Boolean, value: level }),
        set: (variant: Variant) => {
          const next = Boolean(variant.value);
          const rising = next && !level;
          level = next;
          // A refused edge (busy, not acknowledged) tells the writer so; the handshake is unchanged.
          // Any other answer was taken: its result, an error or a verdict, follows on ResultReady.
          return rising && REFUSALS.has(act()) ? StatusCodes.BadInvalidState : StatusCodes.Good;
        },
      },
    });
  };
  edge('Trigger', () => handshake.trigger().answer);
  edge('ResultAck', () => handshake.acknowledge());
  namespace.addVariable({
    componentOf: inputs,
    browseName: 'Product',
    nodeId: nodeId('Inputs', 'Product'),
    dataType: 'String',
    accessLevel: 'CurrentRead | CurrentWrite',
    userAccessLevel: 'CurrentRead | CurrentWrite',
    minimumSamplingInterval: 100,
    value: {
      get: () => new Variant({ dataType: DataType.String, value: handshake.snapshot().product }),
      set: (variant: Variant) => {
        const refused = handshake.selectProduct(String(variant.value ?? ''));
        return refused === 'none' ? StatusCodes.Good : refused === 'busy' ? StatusCodes.BadInvalidState : StatusCodes.BadOutOfRange;
      },
    },
  });
}

function addMethods(namespace: Namespace, station: UAObject, handshake: TriggerHandshake): void {
  const method = (
    name: string,
    inputArguments: { name: string; dataType: DataType; description: string }[],
    act: (args: Variant[]) => LineErrorName,
  ) => {
    namespace
      .addMethod(station, { browseName: name, nodeId: nodeId(name), inputArguments, outputArguments: [errorCodeArgument] })
      // Two parameters: node-opcua tells a promise-returning method from a callback one by its arity.
      .bindMethod(async (args: Variant[], _context: unknown) => ({ statusCode: StatusCodes.Good, outputArguments: answer(act(args)) }));
  };
  method('Trigger', [], () => handshake.trigger().answer);
  method('ResultAck', [], () => handshake.acknowledge());
  method('SelectProduct', [{ name: 'Product', dataType: DataType.String, description: 'a product of the active model' }], ([product]) =>
    handshake.selectProduct(String(product?.value ?? '')),
  );
}
