import type { DefectRegion } from '../../../shared/catalogTypes';
import { labelComponents } from '../regions/connectedComponents';
import type { ScoreMap } from './anomalyMap';

/**
 * Connected regions (8-connected) of the map above `threshold`, largest first, in the map's pixel
 * coordinates: bounding box, area, peak and mean score. Regions smaller than `minArea` are noise.
 */
export function defectRegions(map: ScoreMap, threshold: number, minArea = 4): DefectRegion[] {
  const { width, data } = map;
  const above = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) above[i] = (data[i] as number) > threshold ? 1 : 0;
  const { labels, count } = labelComponents(above, width, map.height, 8);
  const regions = Array.from({ length: count }, () => ({ x0: Infinity, y0: Infinity, x1: -1, y1: -1, area: 0, peak: -Infinity, sum: 0 }));
  // Runs on every failed inspection: plain loops, nothing allocated per pixel.
  for (let y = 0, i = 0; y < map.height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const label = labels[i] as number;
      if (label === 0) continue;
      const r = regions[label - 1] as (typeof regions)[number];
      const v = data[i] as number;
      if (x < r.x0) r.x0 = x;
      if (y < r.y0) r.y0 = y;
      if (x > r.x1) r.x1 = x;
      if (y > r.y1) r.y1 = y;
      r.area++;
      if (v > r.peak) r.peak = v;
      r.sum += v;
    }
  }
  return regions
    .filter((r) => r.area >= minArea)
    .map((r) => ({
      x: r.x0,
      y: r.y0,
      width: r.x1 - r.x0 + 1,
      height: r.y1 - r.y0 + 1,
      area: r.area,
      peakScore: r.peak,
      meanScore: r.sum / r.area,
    }))
    .sort((a, b) => b.area - a.area || b.peakScore - a.peakScore);
}

/** Scales regions from map coordinates to an image of another size (e.g. 224 px map -> source image). */
export function scaleRegions(
  regions: readonly DefectRegion[],
  fromSize: { width: number; height: number },
  toSize: { width: number; height: number },
): DefectRegion[] {
  const [sx, sy] = [toSize.width / fromSize.width, toSize.height / fromSize.height];
  return regions.map((r) => ({
    ...r,
    x: Math.round(r.x * sx),
    y: Math.round(r.y * sy),
    width: Math.max(1, Math.round(r.width * sx)),
    height: Math.max(1, Math.round(r.height * sy)),
    area: Math.round(r.area * sx * sy),
  }));
}
