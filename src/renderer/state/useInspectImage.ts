import type { MethodInput } from '../../shared/api/stationApi';
import { useInspectionFeed } from './InspectionFeedContext';
import { useApiCall } from '../hooks/useApiCall';
import { errorMessage } from '../lib/errorMessage';

/** inspect.image, with the result published as the latest one on the Inspect screen, or the refusal in its place. */
export function useInspectImage() {
  const { publish, refuse } = useInspectionFeed();
  return useApiCall(async (client, input: MethodInput<'inspect.image'>) => {
    try {
      const result = await client['inspect.image'](input);
      publish(result);
      return result;
    } catch (error) {
      refuse(input.fileName, errorMessage(error));
      throw error;
    }
  });
}
