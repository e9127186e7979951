import { stat, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { bmpDimensions, decodeBmpToRgba } from './bmpReader';
import { classifyDecodeFailure, ImageDecodeError } from './imageDecodeError';
import { sniffImageFormat, type ImageFormat } from './imageFormat';
import { FULL_FRAME, type InputFrame } from '../engine/features/inputFrame';

export interface ImageLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Largest width x height accepted: a guard against decompression bombs. */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxBytes: 256 * 1024 * 1024, maxPixels: 100_000_000 };

/** 8-bit RGB pixels, row-major, interleaved; EXIF orientation already applied. */
export interface RgbImage {
  width: number;
  height: number;
  data: Buffer;
  format: ImageFormat;
  /** Size of the upright source image before any resize. */
  sourceWidth: number;
  sourceHeight: number;
  /** Where the source image lies in these pixels (all of them unless it was letterboxed). */
  frame: InputFrame;
}

export interface DecodeOptions {
  /** Name used in error messages (usually the file path). */
  source?: string;
  limits?: ImageLimits;
  /**
   * Keep the source size, or shrink the image so that its longest side is at most this many
   * pixels (aspect kept). The network input is made from such a decode (networkInput.ts).
   */
  maxSide?: number;
}

/**
 * Reads a file with size checks first, so a huge or empty file is refused before it is loaded.
 * `source` names it in errors (by default the path; the hot folder gives just the file's name).
 */
export async function readImageFile(file: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, source: string = file): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ImageDecodeError('unreadable', source, 'not a regular file');
    size = info.size;
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    throw new ImageDecodeError('unreadable', source, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  if (size === 0) throw new ImageDecodeError('empty-file', source);
  if (size > limits.maxBytes) throw new ImageDecodeError('file-too-large', source, `${size} bytes, limit ${limits.maxBytes}`);
  try {
    return await readFile(file);
  } catch (error) {
    throw new ImageDecodeError('unreadable', source, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

function checkPixelCount(width: number, height: number, limits: ImageLimits, source: string): void {
  if (!(width > 0 && height > 0)) throw new ImageDecodeError('corrupt', source, `image size ${width}x${height}`);
  if (width * height > limits.maxPixels) {
    throw new ImageDecodeError('too-many-pixels', source, `${width}x${height} = ${width * height} pixels, limit ${limits.maxPixels}`);
  }
}

interface OpenedImage {
  pipeline: sharp.Sharp;
  /** Upright size (after EXIF orientation). */
  width: number;
  height: number;
  /** More than 8 bits per sample (16-bit PNG or TIFF, float TIFF). */
  deep: boolean;
}

/** A sharp pipeline over the encoded bytes, after the header has been checked against the limits. */
async function openImage(bytes: Buffer, format: ImageFormat, limits: ImageLimits, source: string): Promise<OpenedImage> {
  if (format === 'bmp') {
    const { width, height } = bmpDimensions(bytes, source);
    checkPixelCount(width, height, limits, source);
    const bmp = decodeBmpToRgba(bytes, source);
    return {
      pipeline: sharp(bmp.rgba, { raw: { width: bmp.width, height: bmp.height, channels: 4 } }),
      width: bmp.width,
      height: bmp.height,
      deep: false,
    };
  }
  // The header is read without a pixel limit so that an oversized image gets our own clear message.
  const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  checkPixelCount(metadata.width ?? 0, metadata.height ?? 0, limits, source);
  const upright = metadata.autoOrient ?? { width: metadata.width ?? 0, height: metadata.height ?? 0 };
  const options: sharp.SharpOptions = { limitInputPixels: limits.maxPixels, failOn: 'warning' };
  return {
    pipeline: sharp(bytes, options).autoOrient(),
    width: upright.width,
    height: upright.height,
    deep: metadata.depth !== undefined && metadata.depth !== 'uchar' && metadata.depth !== 'char',
  };
}

/**
 * Decodes PNG, JPEG, BMP, TIFF or WebP bytes to 8-bit RGB: EXIF orientation applied, grayscale
 * expanded, alpha composited onto black, 16-bit reduced to 8-bit. Every failure is an
 * ImageDecodeError; nothing here throws anything else for bad input.
 */
export async function decodeRgb(bytes: Buffer, options: DecodeOptions = {}): Promise<RgbImage> {
  const source = options.source ?? 'image';
  const limits = options.limits ?? DEFAULT_IMAGE_LIMITS;
  if (bytes.length === 0) throw new ImageDecodeError('empty-file', source);
  if (bytes.length > limits.maxBytes) throw new ImageDecodeError('file-too-large', source, `${bytes.length} bytes`);
  const format = sniffImageFormat(bytes);
  if (!format) throw new ImageDecodeError('not-an-image', source);
  try {
    const opened = await openImage(bytes, format, limits, source);
    let pipeline = opened.pipeline.flatten({ background: '#000000' }).toColourspace('srgb');
    const shrink = options.maxSide ? Math.min(1, options.maxSide / Math.max(opened.width, opened.height)) : 1;
    if (shrink < 1) {
      if (opened.deep) {
        // sharp resizes before it reduces the depth, so a 16-bit image would be resampled at 16 bits
        // and then cut to 8: reduce first, as for the 8-bit image with the same pixels.
        const eight = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
        pipeline = sharp(eight.data, { raw: { width: eight.info.width, height: eight.info.height, channels: eight.info.channels as 3 } });
      }
      // A 3000x1 line scan keeps one row.
      const side = (n: number) => Math.max(1, Math.round(n * shrink));
      pipeline = pipeline.resize(side(opened.width), side(opened.height), { fit: 'fill', kernel: 'lanczos3' });
    }
    const { data, info } = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ImageDecodeError('corrupt', source, `decoded to ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      data,
      format,
      sourceWidth: opened.width,
      sourceHeight: opened.height,
      frame: FULL_FRAME,
    };
  } catch (error) {
    throw classifyDecodeFailure(error, source);
  }
}

/** readImageFile + decodeRgb. */
export async function decodeImageFile(file: string, options: Omit<DecodeOptions, 'source'> = {}): Promise<RgbImage> {
  const bytes = await readImageFile(file, options.limits);
  return decodeRgb(bytes, { ...options, source: file });
}
