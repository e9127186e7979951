/**
 * The "does this look like the selected product?" check. Each class's prototype is the unit-norm
 * mean of its training images' pooled (mean over tokens) features; an image is suspicious when
 * another class's prototype is nearer than the selected one and the selected one is farther than
 * any of that class's own training images were.
 */
export interface ClassPrototypes {
  classNames: string[];
  /** [classes, dim], unit norm */
  vectors: Float32Array;
  dim: number;
  /** Lowest cosine similarity of a training image to its own prototype, per class. */
  minSimilarity: number[];
}

export interface PrototypeCheck {
  nearestClass: string;
  similarity: Record<string, number>;
  /** true when the image looks like another product rather than the selected one. */
  warning: boolean;
  /**
   * Far below every training image of the selected product (FAR_BELOW_LEAST_TYPICAL), even if no
   * other known product is nearer: a part of an unseen product, or a very large defect. The
   * judgement tells the two apart by the map (inspectionJudgement.ts).
   */
  farOutside: boolean;
}

export function pooledEmbedding(tokens: Float32Array, positions: number, dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (let p = 0; p < positions; p++)
    for (let k = 0; k < dim; k++) out[k] = (out[k] as number) + (tokens[p * dim + k] as number) / positions;
  return out;
}

function unit(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array, offset = 0): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[offset + k] as number);
  return s;
}

/** `pooled[c]` holds the pooled embeddings of class c's training images. */
export function buildPrototypes(classNames: string[], pooled: Float32Array[][]): ClassPrototypes {
  const dim = pooled.find((list) => list.length > 0)?.[0]?.length ?? 0;
  const vectors = new Float32Array(classNames.length * dim);
  const minSimilarity = classNames.map((_, c) => {
    const list = (pooled[c] ?? []).map(unit);
    const mean = new Float32Array(dim);
    for (const v of list) for (let k = 0; k < dim; k++) mean[k] = (mean[k] as number) + (v[k] as number);
    const proto = unit(mean);
    vectors.set(proto, c * dim);
    return list.length === 0 ? 1 : Math.min(...list.map((v) => dot(v, proto)));
  });
  return { classNames, vectors, dim, minSimilarity };
}

/**
 * How far below the least typical training image's similarity a part must be to count as far
 * outside the selected product. Measured on the dev data (five products trained, docs/method.md,
 * Product check): unseen products scored 0.0-0.2 against a product whose least typical training
 * image scored 0.97, while its good test images scored 0.95 and up; a margin of twice the spread
 * warned on 17% of one product's good parts.
 */
export const FAR_BELOW_LEAST_TYPICAL = 0.3;

export function checkPrototype(prototypes: ClassPrototypes, pooled: Float32Array, selected: string): PrototypeCheck {
  const v = unit(pooled);
  const similarity: Record<string, number> = {};
  let nearestClass = selected;
  let best = -Infinity;
  prototypes.classNames.forEach((name, c) => {
    const s = dot(v, prototypes.vectors, c * prototypes.dim);
    similarity[name] = s;
    if (s > best) {
      best = s;
      nearestClass = name;
    }
  });
  const index = prototypes.classNames.indexOf(selected);
  if (index < 0) throw new Error(`Unknown product "${selected}"`);
  const own = similarity[selected] as number;
  const min = prototypes.minSimilarity[index] as number;
  // Less like the product than any of its training images and more like another product; or far
  // below them all, which a part of a product the model has never seen is even when the nearest
  // product it knows is the selected one.
  return { nearestClass, similarity, warning: own < min && nearestClass !== selected, farOutside: own < min - FAR_BELOW_LEAST_TYPICAL };
}
