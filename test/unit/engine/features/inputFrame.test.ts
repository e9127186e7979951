import { describe, expect, it } from 'vitest';
import { FULL_FRAME, frameOfPixels, framePixels, pixelsOfFrame } from '../../../../src/main/engine/features/inputFrame';

describe('where an image lies in the network input', () => {
  it('fills the input when stretched, and keeps the proportions, centred, when letterboxed', () => {
    expect(framePixels(448, 182, 224, 224, 'stretch')).toEqual({ left: 0, top: 0, width: 224, height: 224 });
    // A wide part: full width, bars above and below.
    expect(framePixels(448, 182, 224, 224, 'letterbox')).toEqual({ left: 0, top: 66, width: 224, height: 91 });
    // A tall part: full height, bars left and right.
    expect(framePixels(179, 448, 224, 224, 'letterbox')).toEqual({ left: 67, top: 0, width: 90, height: 224 });
    expect(frameOfPixels(framePixels(300, 300, 224, 224, 'letterbox'), 224, 224)).toEqual(FULL_FRAME);
    // A line scan keeps a row.
    expect(framePixels(3000, 1, 224, 224, 'letterbox')).toMatchObject({ width: 224, height: 1 });
  });

  it('converts between pixels and fractions of the input both ways', () => {
    const pixels = framePixels(179, 448, 224, 224, 'letterbox');
    const frame = frameOfPixels(pixels, 224, 224);
    expect(frame.x).toBeCloseTo(67 / 224, 9);
    expect(pixelsOfFrame(frame, 224, 224)).toEqual(pixels);
    // At another resolution (the map's): the same place, rounded.
    expect(pixelsOfFrame(frame, 112, 112)).toEqual({ left: 34, top: 0, width: 45, height: 112 });
    // Both edges are rounded: rows 37.375 to 261.625 at 299 px are 37 to 262.
    const wide = frameOfPixels(framePixels(640, 480, 224, 224, 'letterbox'), 224, 224);
    expect(pixelsOfFrame(wide, 299, 299)).toEqual({ left: 0, top: 37, width: 299, height: 225 });
  });
});
