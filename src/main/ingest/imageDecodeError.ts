import { IMAGE_ERROR_HINTS, type ImageErrorCode } from '../../shared/imageErrors';

/** A bad image, with a code the UI and the hot folder can act on and a sentence a user understands. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  constructor(
    readonly code: ImageErrorCode,
    readonly source: string,
    readonly detail?: string,
  ) {
    super(`${source}: ${IMAGE_ERROR_HINTS[code]}${detail ? ` (${detail})` : ''}`);
  }

  /** What is wrong, without the image's name: for where the name is shown beside it. */
  get reason(): string {
    return this.message.slice(this.source.length + 2);
  }
}

/** Maps a libvips/sharp decode failure onto our codes. */
export function classifyDecodeFailure(error: unknown, source: string): ImageDecodeError {
  if (error instanceof ImageDecodeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  if (/pixel limit|exceeds.*pixel/i.test(message)) return new ImageDecodeError('too-many-pixels', source, firstLine);
  if (/premature end|truncat|unexpected end|not enough data|out of data|short read|end of (file|stream)|read error/i.test(message)) {
    return new ImageDecodeError('truncated', source, firstLine);
  }
  if (/unsupported image format/i.test(message)) return new ImageDecodeError('not-an-image', source, firstLine);
  return new ImageDecodeError('corrupt', source, firstLine);
}
