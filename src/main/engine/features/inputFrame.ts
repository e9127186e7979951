import type { InputFit } from '../../../shared/inputFit';

/** Where the image lies inside the network input, as fractions of the input's width and height. */
export interface InputFrame {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const FULL_FRAME: InputFrame = { x: 0, y: 0, width: 1, height: 1 };

/** The image's place inside a `boxWidth` x `boxHeight` input, in whole pixels. */
export interface FramePixels {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Stretch fills the box; letterbox scales the image whole to fit and centres it (at least one
 * pixel each way, so that a line-scan image still has a row).
 */
export function framePixels(sourceWidth: number, sourceHeight: number, boxWidth: number, boxHeight: number, fit: InputFit): FramePixels {
  if (fit === 'stretch') return { left: 0, top: 0, width: boxWidth, height: boxHeight };
  const scale = Math.min(boxWidth / sourceWidth, boxHeight / sourceHeight);
  const width = Math.min(boxWidth, Math.max(1, Math.round(sourceWidth * scale)));
  const height = Math.min(boxHeight, Math.max(1, Math.round(sourceHeight * scale)));
  return { left: Math.floor((boxWidth - width) / 2), top: Math.floor((boxHeight - height) / 2), width, height };
}

export function frameOfPixels(pixels: FramePixels, boxWidth: number, boxHeight: number): InputFrame {
  return { x: pixels.left / boxWidth, y: pixels.top / boxHeight, width: pixels.width / boxWidth, height: pixels.height / boxHeight };
}

/** A frame in whole pixels of a `width` x `height` input (at least one pixel each way). */
export function pixelsOfFrame(frame: InputFrame, width: number, height: number): FramePixels {
  // Both edges rounded, so that the far edge is where the frame ends at any resolution.
  const span = (start: number, extent: number, size: number) => {
    const first = Math.min(size - 1, Math.round(start * size));
    const end = Math.min(size, Math.round((start + extent) * size));
    return [first, Math.max(1, end - first)] as const;
  };
  const [left, w] = span(frame.x, frame.width, width);
  const [top, h] = span(frame.y, frame.height, height);
  return { left, top, width: w, height: h };
}
