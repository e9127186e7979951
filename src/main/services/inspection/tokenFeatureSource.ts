import { statSync } from 'node:fs';
import type { InputFit } from '../../../shared/inputFit';
import type { FeatureExtractor } from '../../engine/backbone/featureExtractor';
import type { InputFrame } from '../../engine/features/inputFrame';
import { buildTokenMaps, tokenDim, type TokenMaps } from '../../engine/features/tokenMaps';
import type { RgbImage } from '../../ingest/imageDecoder';
import { loadNetworkImages, toNetworkBatch } from '../../ingest/networkInput';

/**
 * Backbone token maps for image files, the images stretched or letterboxed into the input (`fit`).
 * `tokensOf` computes them once per file and keeps them in memory for the life of the source (so
 * one run can fit and evaluate several methods on the same features); `stream` hands them over a
 * batch at a time and keeps nothing but each file's frame (where the image lay in the input).
 */
export class TokenFeatureSource {
  private readonly cache = new Map<string, { key: string; tokens: Float32Array }>();
  private readonly frames = new Map<string, InputFrame>();
  private layerChannels: number[] | undefined;
  readonly fit: InputFit;
  private readonly batchSize: number;
  /** Milliseconds spent decoding and running the backbone, for per-image timing. */
  extractMs = 0;
  extractedImages = 0;

  constructor(
    readonly extractor: FeatureExtractor,
    readonly grid: number,
    options: { fit: InputFit; batchSize?: number },
  ) {
    this.fit = options.fit;
    this.batchSize = options.batchSize ?? 8;
  }

  /** Where a file's image lay in the network input when its features were computed. */
  frameOf(file: string): InputFrame {
    const frame = this.frames.get(file);
    if (!frame) throw new Error(`No features were computed for ${file}`);
    return frame;
  }

  private static fileKey(file: string): string {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  }

  /**
   * Token maps of `files`, a batch at a time, computed afresh and not kept: for callers that
   * store them elsewhere (training writes them to disk).
   */
  async stream(
    files: readonly string[],
    onMaps: (maps: TokenMaps, chunk: readonly string[]) => void,
    onBatch?: (done: number, total: number) => void,
  ): Promise<void> {
    for (let i = 0; i < files.length; i += this.batchSize) {
      const chunk = files.slice(i, i + this.batchSize);
      const started = performance.now();
      const images = await loadNetworkImages(chunk, this.extractor.inputSize, this.fit);
      images.forEach((image, n) => this.frames.set(chunk[n] as string, image.frame));
      const maps = await this.tokensOfImages(images);
      this.extractMs += performance.now() - started;
      this.extractedImages += chunk.length;
      onMaps(maps, chunk);
      onBatch?.(Math.min(i + this.batchSize, files.length), files.length);
    }
  }

  /** Token maps of images already decoded at the backbone's input size (at most one batch). */
  async tokensOfImages(images: readonly RgbImage[]): Promise<TokenMaps> {
    const maps = buildTokenMaps(await this.extractor.extract(toNetworkBatch(images), images.length), this.grid);
    this.layerChannels = maps.layerChannels;
    return maps;
  }

  async tokensOf(files: readonly string[], onBatch?: (done: number, total: number) => void): Promise<TokenMaps> {
    const missing = files.filter((f) => this.cache.get(f)?.key !== TokenFeatureSource.fileKey(f));
    await this.stream(
      missing,
      (maps, chunk) => {
        const size = maps.grid * maps.grid * tokenDim(maps);
        chunk.forEach((file, n) =>
          this.cache.set(file, { key: TokenFeatureSource.fileKey(file), tokens: maps.data.slice(n * size, (n + 1) * size) }),
        );
      },
      onBatch,
    );
    if (!this.layerChannels) {
      if (files.length === 0) throw new Error('No images to extract features from');
      throw new Error('Feature shapes are unknown');
    }
    const dim = this.layerChannels.reduce((a, b) => a + b, 0);
    const size = this.grid * this.grid * dim;
    const data = new Float32Array(files.length * size);
    files.forEach((file, n) => data.set((this.cache.get(file) as { tokens: Float32Array }).tokens, n * size));
    return { count: files.length, grid: this.grid, layerChannels: this.layerChannels, data };
  }

  /** Mean ms per image spent on decode + backbone so far. */
  msPerImage(): number {
    return this.extractedImages === 0 ? 0 : this.extractMs / this.extractedImages;
  }
}
