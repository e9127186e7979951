import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encode as encodeBmp } from 'bmp-ts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageFile, decodeRgb, type ImageLimits } from '../../../src/main/ingest/imageDecoder';
import { ImageDecodeError } from '../../../src/main/ingest/imageDecodeError';
import { sniffImageFormat } from '../../../src/main/ingest/imageFormat';
import { useTempDirs } from '../../helpers/tempDir';

const tempDir = useTempDirs();

/** A 4x2 RGB image whose pixels are all different, so orientation and channel order are visible. */
function patternRgb(width = 4, height = 2): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set([(i * 30) % 256, (i * 70 + 10) % 256, 200 - i * 5], i * 3);
  return data;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<ImageDecodeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageDecodeError);
  expect((error as ImageDecodeError).code).toBe(code);
  expect((error as ImageDecodeError).message.length).toBeGreaterThan(20);
  // The reason is the message without the image's name, for where the name is shown beside it.
  expect(`${(error as ImageDecodeError).source}: ${(error as ImageDecodeError).reason}`).toBe((error as ImageDecodeError).message);
  return error as ImageDecodeError;
}

describe('decodeRgb: formats', () => {
  it('decodes PNG, TIFF and lossless WebP to the exact RGB pixels', async () => {
    const raw = patternRgb();
    const input = { raw: { width: 4, height: 2, channels: 3 as const } };
    for (const encoded of [
      await sharp(raw, input).png().toBuffer(),
      await sharp(raw, input).tiff({ compression: 'lzw' }).toBuffer(),
      await sharp(raw, input).webp({ lossless: true }).toBuffer(),
    ]) {
      const image = await decodeRgb(encoded);
      expect([image.width, image.height]).toEqual([4, 2]);
      expect([...image.data]).toEqual([...raw]);
    }
  });

  it('decodes JPEG close to the source colour', async () => {
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 40, b: 90 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const image = await decodeRgb(jpeg);
    expect(image.format).toBe('jpeg');
    expect(Math.abs((image.data[0] as number) - 200)).toBeLessThan(6);
    expect(Math.abs((image.data[1] as number) - 40)).toBeLessThan(6);
  });

  it('decodes 24-bit BMP, which libvips cannot, through the BMP reader', async () => {
    const width = 3;
    const height = 2;
    const abgr = Buffer.alloc(width * height * 4);
    const expected: number[] = [];
    for (let i = 0; i < width * height; i++) {
      const [r, g, b] = [i * 40, 255 - i * 30, 17 * i];
      abgr.set([255, b, g, r], i * 4);
      expected.push(r, g, b);
    }
    const bmp = encodeBmp({ data: abgr, width, height, bitPP: 24 }).data;
    expect(sniffImageFormat(bmp)).toBe('bmp');
    const image = await decodeRgb(bmp);
    expect([image.width, image.height]).toEqual([width, height]);
    expect([...image.data]).toEqual(expected);
  });

  it('expands grayscale and 16-bit images to 8-bit RGB', async () => {
    const gray16 = new Uint16Array(8).map((_, i) => i * 8000);
    const png16 = await sharp(gray16, { raw: { width: 4, height: 2, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    const image = await decodeRgb(png16);
    expect(image.data.length).toBe(4 * 2 * 3);
    // 16-bit value v maps to about v / 257 in 8 bits, the same in all three channels.
    for (let i = 0; i < 8; i++) {
      const [r, g, b] = image.data.subarray(i * 3, i * 3 + 3);
      expect(r).toBe(g);
      expect(g).toBe(b);
      expect(Math.abs((r as number) - (i * 8000) / 257)).toBeLessThanOrEqual(1.5);
    }
  });

  it('composites alpha onto black', async () => {
    const rgba = Buffer.from([255, 255, 255, 0, 255, 255, 255, 255]);
    const png = await sharp(rgba, { raw: { width: 2, height: 1, channels: 4 } })
      .png()
      .toBuffer();
    const image = await decodeRgb(png);
    expect([...image.data]).toEqual([0, 0, 0, 255, 255, 255]);
  });

  it('applies EXIF orientation before anything else', async () => {
    const raw = patternRgb();
    const rotated = await sharp(raw, { raw: { width: 4, height: 2, channels: 3 } })
      .png()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await decodeRgb(rotated);
    expect([image.width, image.height, image.sourceWidth, image.sourceHeight]).toEqual([2, 4, 2, 4]);
    // Orientation 6 = rotate 90 degrees clockwise: the top-left output pixel is the source's bottom-left.
    expect([...image.data.subarray(0, 3)]).toEqual([...raw.subarray(4 * 3, 4 * 3 + 3)]);
  });
});

describe('decodeRgb: bad input gets a typed error', () => {
  const small: ImageLimits = { maxBytes: 10_000_000, maxPixels: 1_000_000 };

  it('refuses an empty buffer and a zero-byte file', async () => {
    await expectCode(decodeRgb(Buffer.alloc(0)), 'empty-file');
    const file = path.join(tempDir(), 'empty.png');
    writeFileSync(file, '');
    const error = await expectCode(decodeImageFile(file), 'empty-file');
    expect(error.message).toContain(file);
  });

  it('refuses files that are not images, whatever their name', async () => {
    const file = path.join(tempDir(), 'notes.jpg');
    writeFileSync(file, 'operator notes, not a picture\n');
    await expectCode(decodeImageFile(file), 'not-an-image');
    await expectCode(decodeRgb(Buffer.from('GIF89a......')), 'not-an-image');
  });

  it('reports truncated JPEG, PNG and BMP files', async () => {
    const raw = Buffer.alloc(64 * 64 * 3, 7).map((_, i) => (i * 13) % 251);
    const input = { raw: { width: 64, height: 64, channels: 3 as const } };
    const jpeg = await sharp(raw, input).jpeg().toBuffer();
    await expectCode(decodeRgb(jpeg.subarray(0, Math.floor(jpeg.length / 2))), 'truncated');
    const png = await sharp(raw, input).png().toBuffer();
    const cutPng = await decodeRgb(png.subarray(0, Math.floor(png.length / 2))).catch((e: ImageDecodeError) => e);
    expect(cutPng).toBeInstanceOf(ImageDecodeError);
    expect(['truncated', 'corrupt']).toContain((cutPng as ImageDecodeError).code);
    const abgr = Buffer.alloc(16 * 16 * 4, 128);
    const bmp = encodeBmp({ data: abgr, width: 16, height: 16, bitPP: 24 }).data;
    await expectCode(decodeRgb(bmp.subarray(0, bmp.length - 100)), 'truncated');
  });

  it('refuses a decompression bomb by its header, before decoding pixels', async () => {
    const bomb = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(200_000); // tiny file, 16 megapixels
    const error = await expectCode(decodeRgb(bomb, { limits: small }), 'too-many-pixels');
    expect(error.message).toContain('4000x4000');
    const bmpHeader = encodeBmp({ data: Buffer.alloc(4 * 4 * 4), width: 4, height: 4, bitPP: 24 }).data;
    bmpHeader.writeInt32LE(30_000, 18);
    bmpHeader.writeInt32LE(30_000, 22);
    await expectCode(decodeRgb(bmpHeader, { limits: small }), 'too-many-pixels');
  });

  it('refuses files above the byte limit without reading them', async () => {
    const file = path.join(tempDir(), 'big.png');
    writeFileSync(file, Buffer.alloc(2048, 1));
    await expectCode(decodeImageFile(file, { limits: { maxBytes: 1024, maxPixels: 1000 } }), 'file-too-large');
  });

  it('reports missing files and folders as unreadable', async () => {
    const dir = tempDir();
    await expectCode(decodeImageFile(path.join(dir, 'missing.png')), 'unreadable');
    mkdirSync(path.join(dir, 'folder.png'));
    await expectCode(decodeImageFile(path.join(dir, 'folder.png')), 'unreadable');
  });

  it('reports damaged image data as corrupt, and keeps going for the next file', async () => {
    const png = await sharp(patternRgb(), { raw: { width: 4, height: 2, channels: 3 } })
      .png()
      .toBuffer();
    const damaged = Buffer.from(png);
    damaged.fill(0x55, 40, damaged.length - 12);
    const error = await decodeRgb(damaged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect(['corrupt', 'truncated']).toContain((error as ImageDecodeError).code);
    await expect(decodeRgb(png)).resolves.toMatchObject({ width: 4, height: 2 });
  });
});

describe('decodeRgb: maxSide', () => {
  it('shrinks the longest side to maxSide, keeps the aspect, and keeps a line scan at one row', async () => {
    const wide = await sharp({ create: { width: 400, height: 100, channels: 3, background: { r: 9, g: 8, b: 7 } } })
      .png()
      .toBuffer();
    const image = await decodeRgb(wide, { maxSide: 100 });
    expect([image.width, image.height, image.sourceWidth, image.sourceHeight]).toEqual([100, 25, 400, 100]);
    expect([...image.data.subarray(0, 3)]).toEqual([9, 8, 7]);
    const line = await sharp({ create: { width: 3000, height: 1, channels: 3, background: { r: 0, g: 0, b: 0 } } })
      .png()
      .toBuffer();
    expect(await decodeRgb(line, { maxSide: 1024 })).toMatchObject({ width: 1024, height: 1 });
    expect(await decodeRgb(wide, { maxSide: 1000 })).toMatchObject({ width: 400, height: 100 });
  });
});
