import type { ProductSummary } from '../../shared/api/apiRecords';
import { useApiQuery, type ApiQuery } from './useApiQuery';

/** products.list, loaded on mount. */
export function useProducts(): ApiQuery<ProductSummary[]> {
  return useApiQuery((client) => client['products.list']({}), []);
}
