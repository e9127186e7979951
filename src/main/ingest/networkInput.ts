import type { InputFit } from '../../shared/inputFit';
import { decodeImageFile, type ImageLimits, type RgbImage } from './imageDecoder';

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

/** Decodes image files straight to the network's square input size, stretched or letterboxed. */
export async function loadNetworkImages(
  files: readonly string[],
  inputSize: number,
  fit: InputFit,
  limits?: ImageLimits,
): Promise<RgbImage[]> {
  const options = { resizeTo: { width: inputSize, height: inputSize, fit }, ...(limits ? { limits } : {}) };
  return Promise.all(files.map((file) => decodeImageFile(file, options)));
}
