import sharp from 'sharp';
import type { InputFit } from '../../shared/inputFit';
import { frameOfPixels, framePixels } from '../engine/features/inputFrame';
import { decodeRgb, readImageFile, type DecodeOptions, type ImageLimits, type RgbImage } from './imageDecoder';

/**
 * The longest side an image is decoded at. An inspection decodes once at this size: its overlay is
 * drawn on that decode and its network input is made from it. Training and evaluation make theirs
 * the same way, so the network sees the same pixels for the same file everywhere.
 */
export const VIEW_MAX_SIDE = 1024;

/** What fills the letterbox bars: the backbone's mean input colour, so that the bars look like nothing. */
export const LETTERBOX_BACKGROUND = [124, 116, 104] as const;

/** Decodes encoded bytes to the view every network input is made from (at most VIEW_MAX_SIDE a side). */
export function decodeView(bytes: Buffer, options: Omit<DecodeOptions, 'maxSide'> = {}): Promise<RgbImage> {
  return decodeRgb(bytes, { ...options, maxSide: VIEW_MAX_SIDE });
}

/**
 * The square network input of a decoded view: stretched, or letterboxed (scaled whole into the
 * square, the bars in the backbone's mean colour), with the frame saying where the image lies.
 */
export async function toNetworkInput(view: RgbImage, size: number, fit: InputFit): Promise<RgbImage> {
  const place = framePixels(view.sourceWidth, view.sourceHeight, size, size, fit);
  const resized = await sharp(view.data, { raw: { width: view.width, height: view.height, channels: 3 } })
    .resize(place.width, place.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  const frame = frameOfPixels(place, size, size);
  if (place.width === size && place.height === size) return { ...view, width: size, height: size, data: resized, frame };
  const data = Buffer.alloc(size * size * 3, Buffer.from(LETTERBOX_BACKGROUND));
  for (let y = 0; y < place.height; y++) {
    const row = resized.subarray(y * place.width * 3, (y + 1) * place.width * 3);
    data.set(row, ((place.top + y) * size + place.left) * 3);
  }
  return { ...view, width: size, height: size, data, frame };
}

/** Packs same-sized RGB images into one NHWC float batch with values x / 255. */
export function toNetworkBatch(images: readonly RgbImage[]): Float32Array {
  const first = images[0];
  if (!first) throw new Error('Cannot build a batch from no images');
  const pixels = first.width * first.height * 3;
  const batch = new Float32Array(images.length * pixels);
  images.forEach((image, n) => {
    if (image.width !== first.width || image.height !== first.height) {
      throw new Error(`Batch images must share one size: ${image.width}x${image.height} vs ${first.width}x${first.height}`);
    }
    const offset = n * pixels;
    for (let i = 0; i < pixels; i++) batch[offset + i] = (image.data[i] as number) / 255;
  });
  return batch;
}

/** Reads and decodes image files into the network's square input, stretched or letterboxed. */
export async function loadNetworkImages(
  files: readonly string[],
  inputSize: number,
  fit: InputFit,
  limits?: ImageLimits,
): Promise<RgbImage[]> {
  return Promise.all(
    files.map(async (file) => {
      const view = await decodeView(await readImageFile(file, limits), { source: file, ...(limits ? { limits } : {}) });
      return toNetworkInput(view, inputSize, fit);
    }),
  );
}
