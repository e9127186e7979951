import { parentPort, workerData } from 'node:worker_threads';
import { stationServiceOptionsSchema } from '../../../shared/api/workerMessages';
import { openStationService } from './stationBackend';
import { serveStationService } from './stationServiceWorkerServer';

/**
 * Worker-thread entry of the station service: the Electron main thread only relays messages, and
 * everything that decodes images, runs the backbone or touches the catalogue happens here.
 */
const port = parentPort;
if (!port) throw new Error('stationServiceWorker must run in a worker thread');
void serveStationService(port, async () => openStationService(stationServiceOptionsSchema.parse(workerData)));
