import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

/**
 * Writes a Y4M video (4:2:0, full-range BT.601) that repeats still images: what Chromium's fake
 * camera (--use-file-for-fake-video-capture) plays in a loop.
 */
export async function writeY4mFromImages(
  file: string,
  images: readonly string[],
  options: { width: number; height: number; framesPerImage: number; fps?: number },
): Promise<void> {
  const { width, height } = options;
  if (width % 2 || height % 2) throw new Error('Y4M 4:2:0 needs even width and height');
  const frames: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${options.fps ?? 10}:1 Ip A1:1 C420jpeg\n`)];
  for (const image of images) {
    const rgb = await sharp(image).removeAlpha().resize(width, height, { fit: 'fill' }).raw().toBuffer();
    const frame = rgbToI420(rgb, width, height);
    for (let i = 0; i < options.framesPerImage; i++) frames.push(Buffer.from('FRAME\n'), frame);
  }
  writeFileSync(file, Buffer.concat(frames));
}

function rgbToI420(rgb: Buffer, width: number, height: number): Buffer {
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = (row * width + col) * 3;
      const [r, g, b] = [rgb[i] as number, rgb[i + 1] as number, rgb[i + 2] as number];
      y[row * width + col] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
      if (row % 2 === 0 && col % 2 === 0) {
        const c = (row / 2) * (width / 2) + col / 2;
        u[c] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
        v[c] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
      }
    }
  }
  return Buffer.concat([y, u, v]);
}
