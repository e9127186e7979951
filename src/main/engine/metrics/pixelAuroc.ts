import { aurocFromSorted } from './auroc';

const CHUNK = 1 << 20;

/** Float32 values appended in fixed-size chunks: 4 bytes a value, no per-value objects. */
class Float32Chunks {
  private readonly chunks: Float32Array[] = [];
  private fill = CHUNK;
  length = 0;

  push(value: number): void {
    if (this.fill === CHUNK) {
      this.chunks.push(new Float32Array(CHUNK));
      this.fill = 0;
    }
    (this.chunks[this.chunks.length - 1] as Float32Array)[this.fill++] = value;
    this.length++;
  }

  toSortedArray(): Float32Array {
    const out = new Float32Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      const take = Math.min(CHUNK, this.length - offset);
      out.set(chunk.subarray(0, take), offset);
      offset += take;
    }
    return out.sort();
  }
}

/**
 * Pixel AUROC over all pixels of all images of a class. Memory is 4 bytes a pixel (scores are kept
 * as float32, split by label, in 1 Mi-value chunks) and the count is capped by `maxPixels`, so a
 * large evaluation fails early with a clear message instead of exhausting memory. The result is
 * exact for the float32 scores, ties included.
 */
export class PixelAurocAccumulator {
  private readonly defect = new Float32Chunks();
  private readonly normal = new Float32Chunks();

  constructor(private readonly maxPixels = 250_000_000) {}

  get pixelCount(): number {
    return this.defect.length + this.normal.length;
  }

  /** `mask` non-zero marks defect pixels; null means a good image (all pixels normal). */
  add(scores: ArrayLike<number>, mask: ArrayLike<number> | null): void {
    if (mask && mask.length !== scores.length) throw new Error(`Anomaly map has ${scores.length} pixels but its mask has ${mask.length}`);
    if (this.pixelCount + scores.length > this.maxPixels) {
      throw new Error(`Pixel AUROC is limited to ${this.maxPixels} pixels; evaluate at a smaller map size or on fewer images`);
    }
    for (let i = 0; i < scores.length; i++) {
      const score = scores[i] as number;
      if (Number.isNaN(score)) throw new Error(`Anomaly map pixel ${i} is NaN`);
      if (mask?.[i]) this.defect.push(score);
      else this.normal.push(score);
    }
  }

  /** null when the class has no defect pixels (no masks): pixel AUROC is then undefined. */
  result(): number | null {
    if (this.defect.length === 0 || this.normal.length === 0) return null;
    return aurocFromSorted(this.defect.toSortedArray(), this.normal.toSortedArray());
  }
}
