/**
 * Why an image could not be used. Shared so that the CLI, the hot folder and the UI all say the
 * same thing about the same bad file.
 */
export const IMAGE_ERROR_CODES = [
  'empty-file',
  'file-too-large',
  'not-an-image',
  'truncated',
  'corrupt',
  'too-many-pixels',
  'unreadable',
] as const;
export type ImageErrorCode = (typeof IMAGE_ERROR_CODES)[number];

export const IMAGE_ERROR_HINTS: Record<ImageErrorCode, string> = {
  'empty-file': 'the file is empty (0 bytes); it may still be being written',
  'file-too-large': 'the file is larger than the station accepts',
  'not-an-image': 'the file is not a PNG, JPEG, BMP, TIFF or WebP image',
  truncated: 'the image data ends early (the file was cut off or is still being written)',
  corrupt: 'the image data is damaged and cannot be decoded',
  'too-many-pixels': 'the image has more pixels than the station accepts (possible decompression bomb)',
  unreadable: 'the file could not be read',
};
