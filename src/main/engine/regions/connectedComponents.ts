export type Connectivity = 4 | 8;

export interface LabelledComponents {
  /** Per pixel: 0 for background, else the component number 1..count. */
  labels: Int32Array;
  count: number;
  /** sizes[k] = pixel count of component k (sizes[0] unused). */
  sizes: number[];
}

/** Labels the connected foreground regions (non-zero pixels) of a width x height mask. */
export function labelComponents(
  mask: ArrayLike<number | boolean>,
  width: number,
  height: number,
  connectivity: Connectivity = 4,
): LabelledComponents {
  if (mask.length !== width * height) throw new Error(`Mask has ${mask.length} pixels, expected ${width}x${height}`);
  const labels = new Int32Array(width * height);
  const sizes = [0];
  const stack = new Int32Array(width * height);
  const neighbours =
    connectivity === 4
      ? [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
        ]
      : [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
          [-1, -1],
          [1, -1],
          [-1, 1],
          [1, 1],
        ];
  for (let start = 0; start < labels.length; start++) {
    if (!mask[start] || labels[start] !== 0) continue;
    const label = sizes.length;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const p = stack[--top] as number;
      size++;
      const x = p % width;
      const y = (p - x) / width;
      for (const [dx, dy] of neighbours as [number, number][]) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (mask[q] && labels[q] === 0) {
          labels[q] = label;
          stack[top++] = q;
        }
      }
    }
    sizes.push(size);
  }
  return { labels, count: sizes.length - 1, sizes };
}
