import { describe, expect, it } from 'vitest';
import {
  HELD_OUT_FRACTION,
  holdOut,
  MIN_IMAGES_FOR_HOLD_OUT,
  productHoldOut,
} from '../../../../src/main/engine/calibration/productHoldOut';

const images = (n: number) => Array.from({ length: n }, (_, i) => `/good/${String(i).padStart(3, '0')}.png`);

describe('the hold-out split', () => {
  it('keeps every image of a product with too few for training', () => {
    expect(holdOut(images(MIN_IMAGES_FOR_HOLD_OUT - 1), HELD_OUT_FRACTION, 7)).toEqual({
      fit: images(MIN_IMAGES_FOR_HOLD_OUT - 1),
      heldOut: [],
    });
  });

  it('holds out at least one image once there are enough, else the fraction rounded down', () => {
    expect(holdOut(images(MIN_IMAGES_FOR_HOLD_OUT), HELD_OUT_FRACTION, 7).heldOut).toHaveLength(1); // 6 x 0.15 = 0.9
    expect(holdOut(images(100), HELD_OUT_FRACTION, 7).heldOut).toHaveLength(15);
    expect(holdOut(images(99), HELD_OUT_FRACTION, 7).heldOut).toHaveLength(14); // 14.85
  });

  it('returns both parts sorted, without overlap, and the same for the same seed and files', () => {
    const split = holdOut(images(40), 0.25, 3);
    expect(split.fit).toEqual([...split.fit].sort());
    expect(split.heldOut).toEqual([...split.heldOut].sort());
    expect(split.heldOut.filter((f) => split.fit.includes(f))).toEqual([]);
    expect(holdOut(images(40), 0.25, 3)).toEqual(split);
    expect(holdOut([...images(40)].reverse(), 0.25, 3)).toEqual(split); // whatever order the files were listed in
    expect(holdOut(images(40), 0.25, 4).heldOut).not.toEqual(split.heldOut);
  });

  it("draws each product's split from its own seed: adding a product changes no other split", () => {
    const gear = productHoldOut('gear', images(30), HELD_OUT_FRACTION, 0);
    expect(productHoldOut('gear', images(30), HELD_OUT_FRACTION, 0)).toEqual(gear);
    expect(productHoldOut('bracket', images(30), HELD_OUT_FRACTION, 0).heldOut).not.toEqual(gear.heldOut);
    expect(gear.heldOut).not.toEqual(holdOut(images(30), HELD_OUT_FRACTION, 0).heldOut);
  });
});

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
