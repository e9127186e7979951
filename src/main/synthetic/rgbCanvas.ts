/** A small RGB raster with float channels in [0, 255], for drawing synthetic parts. */
export class RgbCanvas {
  readonly data: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height * 3);
  }

  get(x: number, y: number): [number, number, number] {
    const i = (y * this.width + x) * 3;
    return [this.data[i] as number, this.data[i + 1] as number, this.data[i + 2] as number];
  }

  set(x: number, y: number, rgb: readonly number[]): void {
    const i = (y * this.width + x) * 3;
    this.data[i] = rgb[0] as number;
    this.data[i + 1] = rgb[1] as number;
    this.data[i + 2] = rgb[2] as number;
  }

  /** Moves pixel (x, y) towards `rgb` by `weight` in [0, 1]. */
  blend(x: number, y: number, rgb: readonly number[], weight: number): void {
    const i = (y * this.width + x) * 3;
    for (let c = 0; c < 3; c++) this.data[i + c] = (this.data[i + c] as number) * (1 - weight) + (rgb[c] as number) * weight;
  }

  toBytes(): Buffer {
    const out = Buffer.alloc(this.data.length);
    for (let i = 0; i < this.data.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(this.data[i] as number)));
    return out;
  }
}
