import { decode as decodeBmp } from 'bmp-ts';
import { ImageDecodeError } from './imageDecodeError';

/** Width and height from a BMP header (BITMAPINFOHEADER or later), without decoding pixels. */
export function bmpDimensions(bytes: Uint8Array, source: string): { width: number; height: number } {
  if (bytes.length < 26) throw new ImageDecodeError('truncated', source, 'BMP header is incomplete');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint32(14, true);
  if (headerSize === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
}

/** Decodes a BMP (sharp's libvips has no BMP loader) into tightly packed RGBA. */
export function decodeBmpToRgba(bytes: Uint8Array, source: string): { width: number; height: number; rgba: Buffer } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  if (pixelOffset >= bytes.length) throw new ImageDecodeError('truncated', source, 'BMP pixel data is missing');
  const bitsPerPixel = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const { width, height } = bmpDimensions(bytes, source);
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const uncompressed = compression === 0 || compression === 3;
  if (uncompressed && pixelOffset + rowBytes * height > bytes.length) {
    throw new ImageDecodeError('truncated', source, 'BMP pixel data ends early');
  }
  let image: ReturnType<typeof decodeBmp>;
  try {
    image = decodeBmp(buffer, { toRGBA: true });
  } catch (error) {
    throw new ImageDecodeError('corrupt', source, error instanceof Error ? error.message : String(error));
  }
  const expected = image.width * Math.abs(image.height) * 4;
  if (image.data.length < expected) throw new ImageDecodeError('truncated', source, 'BMP pixel data ends early');
  if (bitsPerPixel !== 32 || !hasAnyAlpha(image.data, expected)) {
    // Only 32-bit BMPs can carry alpha, and most leave that byte at 0 meaning "unused".
    for (let i = 3; i < expected; i += 4) image.data[i] = 255;
  }
  return { width: image.width, height: Math.abs(image.height), rgba: image.data.subarray(0, expected) };
}

function hasAnyAlpha(rgba: Buffer, length: number): boolean {
  for (let i = 3; i < length; i += 4) if (rgba[i] !== 0) return true;
  return false;
}
