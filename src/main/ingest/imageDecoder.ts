import { stat, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { bmpDimensions, decodeBmpToRgba } from './bmpReader';
import { classifyDecodeFailure, ImageDecodeError } from './imageDecodeError';
import { sniffImageFormat, type ImageFormat } from './imageFormat';
import type { InputFit } from '../../shared/inputFit';
import { FULL_FRAME, frameOfPixels, framePixels, type InputFrame } from '../engine/features/inputFrame';

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

/** What fills the letterbox bars: the backbone's mean input colour, so that the bars look like nothing. */
const LETTERBOX_BACKGROUND = { r: 124, g: 116, b: 104 };

export interface DecodeOptions {
  /** Name used in error messages (usually the file path). */
  source?: string;
  limits?: ImageLimits;
  /** Resize to exactly this size (the network input), stretched unless `fit` says letterbox; else keep the source size. */
  resizeTo?: { width: number; height: number; fit?: InputFit };
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
    if (opened.deep && options.resizeTo) {
      // sharp resizes before it reduces the depth, so a 16-bit image would be resampled at 16 bits
      // and then cut to 8: reduce first, as for the 8-bit image with the same pixels.
      const eight = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      pipeline = sharp(eight.data, { raw: { width: eight.info.width, height: eight.info.height, channels: eight.info.channels as 3 } });
    }
    let frame = FULL_FRAME;
    if (options.resizeTo) {
      const { width, height, fit = 'stretch' } = options.resizeTo;
      const place = framePixels(opened.width, opened.height, width, height, fit);
      pipeline = pipeline.resize(place.width, place.height, { fit: 'fill', kernel: 'lanczos3' });
      if (fit === 'letterbox') {
        // Its own step: sharp would otherwise extend before it resizes.
        const inner = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
        pipeline = sharp(inner.data, {
          raw: { width: inner.info.width, height: inner.info.height, channels: inner.info.channels as 3 },
        }).extend({
          top: place.top,
          bottom: height - place.top - place.height,
          left: place.left,
          right: width - place.left - place.width,
          background: LETTERBOX_BACKGROUND,
        });
      }
      frame = frameOfPixels(place, width, height);
    }
    const { data, info } = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ImageDecodeError('corrupt', source, `decoded to ${info.channels} channels`);
    return { width: info.width, height: info.height, data, format, sourceWidth: opened.width, sourceHeight: opened.height, frame };
  } catch (error) {
    throw classifyDecodeFailure(error, source);
  }
}

/** readImageFile + decodeRgb. */
export async function decodeImageFile(file: string, options: Omit<DecodeOptions, 'source'> = {}): Promise<RgbImage> {
  const bytes = await readImageFile(file, options.limits);
  return decodeRgb(bytes, { ...options, source: file });
}
