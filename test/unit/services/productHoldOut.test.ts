import { describe, expect, it } from 'vitest';
import { HELD_OUT_FRACTION, productHoldOut } from '../../../src/main/engine/calibration/productHoldOut';

describe("each product's hold-out split", () => {
  const files = Array.from({ length: 40 }, (_, i) => `/parts/${String(i).padStart(2, '0')}.png`);

  it('holds out the share it says, and keeps every image in exactly one part', () => {
    const { fit, heldOut } = productHoldOut('kolektor', files, HELD_OUT_FRACTION, 0);
    expect(heldOut).toHaveLength(Math.floor(40 * HELD_OUT_FRACTION));
    expect([...fit, ...heldOut].sort()).toEqual(files);
  });

  it('depends on the product and the seed only, not on the order the images come in', () => {
    const split = productHoldOut('kolektor', files, HELD_OUT_FRACTION, 0);
    expect(productHoldOut('kolektor', [...files].reverse(), HELD_OUT_FRACTION, 0)).toEqual(split);
    expect(productHoldOut('capsule', files, HELD_OUT_FRACTION, 0).heldOut).not.toEqual(split.heldOut);
    // Too few images to hold any out.
    expect(productHoldOut('kolektor', files.slice(0, 5), HELD_OUT_FRACTION, 0).heldOut).toEqual([]);
  });
});
