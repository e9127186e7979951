import { describe, expect, it } from 'vitest';
import { imageRefFromStationImageUrl, stationImageUrl } from '../../../../src/shared/api/stationImageUrl';

describe('station image URLs', () => {
  it('round-trip an image reference', () => {
    const url = stationImageUrl('inspection/12/overlay');
    expect(url).toBe('station-image://image/inspection%2F12%2Foverlay');
    expect(imageRefFromStationImageUrl(url)).toBe('inspection/12/overlay');
    expect(imageRefFromStationImageUrl(`${url}?v=2`)).toBe('inspection/12/overlay');
  });

  it('give nothing for other URLs', () => {
    expect(imageRefFromStationImageUrl('station-app://ui/index.html')).toBeNull();
    expect(imageRefFromStationImageUrl('station-image://image/%E0%A4%A')).toBeNull();
  });
});
