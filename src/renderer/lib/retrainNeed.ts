import type { ProductSummary } from '../../shared/api/apiRecords';

/** Why a product needs a retrain (the active model does not know it, or not all its good images), or null. */
export function retrainReason(product: Pick<ProductSummary, 'inActiveModel' | 'untrainedGoodImages'>): string | null {
  if (!product.inActiveModel) return 'not in the active model';
  const n = product.untrainedGoodImages;
  if (n > 0) return `${n} good ${n === 1 ? 'image' : 'images'} added since the active model was trained`;
  return null;
}
