import { describe, expect, it } from 'vitest';
import type { InspectionResult } from '../../../../src/shared/api/apiRecords';
import { HotFolderFrames } from '../../../../src/main/services/line/hotFolderFrames';

const result = (id: number) => ({ id, verdict: 'pass' }) as InspectionResult;

describe('frames from the hot folder', () => {
  it("needs the folder watched for the line's product", () => {
    let watch: { product: string } | null = null;
    const frames = new HotFolderFrames(() => watch);
    expect(frames.problem('gear')).toMatch(/not watched/);
    watch = { product: 'bracket' };
    expect(frames.problem('gear')).toMatch(/watches "bracket" while the line selected "gear"/);
    watch = { product: 'gear' };
    expect(frames.problem('gear')).toBeNull();
  });

  it('answers waiting triggers with the next results in order, a set-aside file with its reason, none in time with a timeout', async () => {
    const frames = new HotFolderFrames(() => ({ product: 'gear' }));
    frames.inspected(result(1)); // before any trigger: reported to none
    const first = frames.next(1_000);
    const second = frames.next(1_000);
    const third = frames.next(1_000);
    frames.inspected(result(2));
    frames.inspected(result(3));
    frames.rejected('notes.txt', 'notes.txt: the file is not a PNG, JPEG, BMP, TIFF or WebP image');
    await expect(first).resolves.toMatchObject({ id: 2 });
    await expect(second).resolves.toMatchObject({ id: 3 });
    await expect(third).rejects.toMatchObject({
      code: 'imageRefused',
      message: 'Not inspected: notes.txt: the file is not a PNG, JPEG, BMP, TIFF or WebP image',
    });
    await expect(frames.next(30)).rejects.toMatchObject({ code: 'frameTimeout' });
    frames.inspected(result(4)); // the timed-out trigger no longer waits
  });
});
