import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { ResultMessage } from '../../src/main/services/line/resultMessage';

/** An in-process MQTT broker on `port` (0: any) that hands every result published by a client to `topic` to `onResult`. */
export async function startResultBroker(
  port: number,
  topic: string,
  onResult: (message: ResultMessage) => void,
): Promise<{ port: number; stop(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  broker.on('publish', (packet, client) => {
    if (client && packet.topic === topic) onResult(JSON.parse(packet.payload.toString()) as ResultMessage);
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    stop: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}
