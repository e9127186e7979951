import type { MethodInput } from '../../shared/api/stationApi';
import { useInspectionFeed } from './InspectionFeedContext';
import { useApiCall } from '../hooks/useApiCall';

/** inspect.image, with the result published as the latest one on the Inspect screen. */
export function useInspectImage() {
  const { publish } = useInspectionFeed();
  return useApiCall(async (client, input: MethodInput<'inspect.image'>) => {
    const result = await client['inspect.image'](input);
    publish(result);
    return result;
  });
}
