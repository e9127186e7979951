import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeRgb } from '../../../src/main/ingest/imageDecoder';
import { decodeView, loadNetworkImages, toNetworkBatch, toNetworkInput, VIEW_MAX_SIDE } from '../../../src/main/ingest/networkInput';
import { useTempDirs } from '../../helpers/tempDir';

const tempDir = useTempDirs();

const solid = (width: number, height: number, background: { r: number; g: number; b: number }) =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

describe('network input', () => {
  it('resizes a view to the network size and packs a batch as x / 255', async () => {
    const view = await decodeView(await solid(50, 30, { r: 255, g: 0, b: 51 }));
    const image = await toNetworkInput(view, 8, 'stretch');
    expect([image.width, image.height, image.sourceWidth, image.sourceHeight]).toEqual([8, 8, 50, 30]);
    const batch = toNetworkBatch([image, image]);
    expect(batch.length).toBe(2 * 8 * 8 * 3);
    expect(batch[0]).toBeCloseTo(1, 5);
    expect(batch[1]).toBeCloseTo(0, 5);
    expect(batch[2]).toBeCloseTo(0.2, 5);
  });

  it('letterboxes a wide image whole into the square, with grey bars above and below, and says where it lies', async () => {
    const view = await decodeView(await solid(40, 10, { r: 250, g: 0, b: 0 }));
    const image = await toNetworkInput(view, 32, 'letterbox');
    expect([image.width, image.height, image.sourceWidth, image.sourceHeight]).toEqual([32, 32, 40, 10]);
    expect(image.frame).toEqual({ x: 0, y: 12 / 32, width: 1, height: 8 / 32 });
    const at = (x: number, y: number) => [...image.data.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3)];
    expect(at(16, 2)).toEqual([124, 116, 104]); // a bar
    expect(at(16, 29)).toEqual([124, 116, 104]);
    expect(at(16, 16)).toEqual([250, 0, 0]); // the image
    expect(at(16, 11)).toEqual([124, 116, 104]); // the row above the image
    expect(at(16, 12)).toEqual([250, 0, 0]);
    const stretched = await toNetworkInput(view, 32, 'stretch');
    expect(stretched.frame).toEqual({ x: 0, y: 0, width: 1, height: 1 });
    expect([...stretched.data.subarray(0, 3)]).toEqual([250, 0, 0]);
  });

  it('decodes a large image once, shrunk to the view size, and makes the network input from that view', async () => {
    const width = VIEW_MAX_SIDE * 2;
    const noise = Buffer.alloc(width * 300 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const bytes = await sharp(noise, { raw: { width, height: 300, channels: 3 } })
      .png()
      .toBuffer();
    const view = await decodeView(bytes);
    expect([view.width, view.height, view.sourceWidth, view.sourceHeight]).toEqual([VIEW_MAX_SIDE, 150, width, 300]);
    // Training reads files through loadNetworkImages; an inspection decodes bytes it holds: the same pixels either way.
    const file = path.join(tempDir(), 'wide.png');
    writeFileSync(file, bytes);
    const [fromFile] = await loadNetworkImages([file], 64, 'letterbox');
    const fromView = await toNetworkInput(view, 64, 'letterbox');
    expect(fromFile?.frame).toEqual(fromView.frame);
    expect(Buffer.compare(fromFile?.data as Buffer, fromView.data)).toBe(0);
  });

  it('keeps a small image at its own size, pixel for pixel', async () => {
    const bytes = await solid(30, 20, { r: 1, g: 2, b: 3 });
    const [view, plain] = await Promise.all([decodeView(bytes), decodeRgb(bytes)]);
    expect([view.width, view.height]).toEqual([30, 20]);
    expect(Buffer.compare(view.data, plain.data)).toBe(0);
  });
});
