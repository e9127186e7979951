import sharp from 'sharp';
import { readImageFile } from './imageDecoder';
import { classifyDecodeFailure } from './imageDecodeError';

/**
 * A ground-truth mask as 0/1 bytes at width x height: first channel, nearest-neighbour resize,
 * threshold at 128 (masks are stored 0/255, sometimes as RGB).
 */
export async function loadBinaryMask(file: string, width: number, height: number): Promise<Uint8Array> {
  const bytes = await readImageFile(file);
  try {
    const { data, info } = await sharp(bytes)
      .extractChannel(0)
      .resize(width, height, { fit: 'fill', kernel: 'nearest' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`mask decoded to ${info.channels} channels`);
    return Uint8Array.from(data, (v) => (v >= 128 ? 1 : 0));
  } catch (error) {
    throw classifyDecodeFailure(error, file);
  }
}
