import { describe, expect, it } from 'vitest';
import { tailProducts } from '../../../../src/main/engine/longtail/tailProducts';

describe('long-tail flags', () => {
  it('flags products with few images absolutely or relative to the best covered one', () => {
    const tail = tailProducts(
      new Map([
        ['big', 400],
        ['mid', 120],
        ['small', 60],
        ['rare', 3],
      ]),
    );
    expect([...tail].sort()).toEqual(['rare', 'small']);
    expect([
      ...tailProducts(
        new Map([
          ['a', 8],
          ['b', 12],
        ]),
      ),
    ]).toEqual(['a']);
    expect(tailProducts(new Map()).size).toBe(0);
  });
});
