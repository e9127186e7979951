import type { LtadModelMeta } from '../ltad/ltadModel';
import { buildPrototypes } from '../scoring/classPrototypes';

/**
 * The products' prototypes as the model file keeps them (classPrototypes.ts: the "does this look
 * like the selected product?" check). `pooled[c]` holds the pooled standardised embeddings of
 * product c's training images; `dim` is their width, kept even when a product has none.
 */
export function productPrototypes(
  classNames: readonly string[],
  pooled: readonly Float32Array[][],
  dim: number,
): LtadModelMeta['prototypes'] {
  const prototypes = buildPrototypes([...classNames], [...pooled]);
  return { vectors: [...prototypes.vectors], dim, minSimilarity: prototypes.minSimilarity };
}
