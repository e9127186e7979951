import { ApiError } from './apiErrors';
import type { StationBridge } from './stationBridge';
import { METHOD_NAMES, type MethodName, type StationClient } from './stationApi';

/**
 * The typed client over a bridge: each method resolves with its output or rejects with an
 * ApiError whose message the UI can show as it is.
 */
export function createStationClient(bridge: Pick<StationBridge, 'call'>): StationClient {
  const client: Partial<Record<MethodName, (input: unknown) => Promise<unknown>>> = {};
  for (const name of METHOD_NAMES) {
    client[name] = async (input: unknown) => {
      const result = await bridge.call(name, input);
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value;
    };
  }
  return client as StationClient;
}
