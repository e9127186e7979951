import type { InputFit } from '../../../shared/inputFit';
import type { FeatureExtractor } from '../../engine/backbone/featureExtractor';
import { buildTokenMaps } from '../../engine/features/tokenMaps';
import type { RgbImage } from '../../ingest/imageDecoder';
import { decodeView, toNetworkBatch, toNetworkInput } from '../../ingest/networkInput';

/** One image decoded for inspection: the view the overlay is drawn on, and the network input made from it. */
export interface DecodedInspectionImage {
  view: RgbImage;
  input: RgbImage;
}

/** Decodes once (errors name the image by `displayName`) and makes the backbone's input from that decode. */
export async function decodeForInspection(
  bytes: Buffer,
  displayName: string,
  inputSize: number,
  fit: InputFit,
): Promise<DecodedInspectionImage> {
  const view = await decodeView(bytes, { source: displayName });
  return { view, input: await toNetworkInput(view, inputSize, fit) };
}

/** What the heads give for one image: S per token, and its mean standardised token (the prototype check's input). */
export interface ScoredImage {
  tokenScores: Float32Array;
  pooled: Float32Array;
}

/** A product's heads over `count` raw token maps: S per token [count * T] and pooled tokens [count * dim]. */
export type HeadsRunner = (
  rawTokens: Float32Array,
  count: number,
  product: string,
) => Promise<{ score: Float32Array; pooled: Float32Array }>;

/**
 * Token maps of every image in one backbone pass, then each product's images through its heads in
 * one pass. Results come back in the order given.
 */
export async function scoreImages(
  extractor: FeatureExtractor,
  grid: number,
  runHeads: HeadsRunner,
  items: readonly { input: RgbImage; product: string }[],
): Promise<ScoredImage[]> {
  const maps = buildTokenMaps(await extractor.extract(toNetworkBatch(items.map((i) => i.input)), items.length), grid);
  const size = maps.data.length / items.length;
  const positions = grid * grid;
  const dim = size / positions;
  const out: ScoredImage[] = new Array(items.length);
  for (const product of new Set(items.map((i) => i.product))) {
    const members = items.flatMap((item, i) => (item.product === product ? [i] : []));
    const batch = new Float32Array(members.length * size);
    members.forEach((i, k) => batch.set(maps.data.subarray(i * size, (i + 1) * size), k * size));
    const scored = await runHeads(batch, members.length, product);
    members.forEach((i, k) => {
      out[i] = {
        tokenScores: scored.score.subarray(k * positions, (k + 1) * positions),
        pooled: scored.pooled.subarray(k * dim, (k + 1) * dim),
      };
    });
  }
  return out;
}
