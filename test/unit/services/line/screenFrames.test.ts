import { describe, expect, it } from 'vitest';
import { LineError } from '../../../../src/main/services/line/lineErrors';
import { FRAME_OFFER_LEASE_SECONDS, type FrameRequest, ScreenFrames } from '../../../../src/main/services/line/screenFrames';

function harness() {
  const asked: FrameRequest[] = [];
  let clock = 0;
  let changes = 0;
  const frames = new ScreenFrames(
    (request) => asked.push(request),
    () => changes++,
    () => clock,
  );
  return { frames, asked, tick: (ms: number) => (clock += ms), changes: () => changes };
}

describe('frames from an open Inspect screen', () => {
  it('asks the screen that offered last, and takes only its answer', async () => {
    const h = harness();
    h.frames.offer('window-a');
    h.tick(10);
    const b = h.frames.offer('window-b');
    const frame = h.frames.request('gear', 1_000);
    expect(h.asked).toEqual([{ requestId: expect.any(String), providerId: b.providerId, product: 'gear' }]);
    const { requestId } = h.asked[0] as FrameRequest;
    expect(() => h.frames.answer('window-a', requestId, { bytes: Buffer.from('x') })).toThrow(/No trigger is waiting/);
    h.frames.answer('window-b', requestId, { bytes: Buffer.from('png') });
    await expect(frame).resolves.toEqual({ bytes: Buffer.from('png'), clientId: 'window-b' });
    // Answered once: a second answer finds nothing waiting.
    expect(() => h.frames.answer('window-b', requestId, { bytes: Buffer.from('png') })).toThrow(/No trigger is waiting/);
  });

  it("fails at once with no offer, after the timeout with no answer, and with the screen's own problem", async () => {
    const h = harness();
    await expect(h.frames.request('gear', 50)).rejects.toMatchObject({ code: 'noFrameSource' });
    h.frames.offer('window-a');
    await expect(h.frames.request('gear', 50)).rejects.toMatchObject({
      code: 'frameTimeout',
      message: expect.stringMatching(/within 0.05 s/),
    });
    const refused = h.frames.request('gear', 1_000);
    h.frames.answer('window-a', (h.asked[1] as FrameRequest).requestId, { problem: 'the camera stopped' });
    await expect(refused).rejects.toBeInstanceOf(LineError);
  });

  it('lets an offer lapse unless renewed, and forgets a withdrawn one', () => {
    const h = harness();
    const first = h.frames.offer('window-a');
    expect(h.frames.available()).toBe(true);
    h.tick(FRAME_OFFER_LEASE_SECONDS * 1000 - 1);
    expect(h.frames.offer('window-a').providerId).toBe(first.providerId); // renewed, same id
    h.tick(FRAME_OFFER_LEASE_SECONDS * 1000 - 1);
    expect(h.frames.available()).toBe(true);
    h.tick(2);
    expect(h.frames.available()).toBe(false);
    h.frames.offer('window-b');
    h.frames.withdraw('window-b');
    expect(h.frames.available()).toBe(false);
    expect(h.changes()).toBe(3); // two new offers and a withdrawal; a renewal changes nothing
  });
});
