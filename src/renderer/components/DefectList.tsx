import type { InspectionResult } from '../../shared/api/apiRecords';
import { normaliseScore, type ScoreScale } from '../../shared/normalisedScore';
import { formatNormalisedScore, formatScore } from '../lib/formatNumbers';

type Region = InspectionResult['regions'][number];

interface Props {
  regions: readonly Region[];
  /** The inspection's score scale: region peaks are shown on it, as the image score is (raw where unknown). */
  scale?: ScoreScale | null;
  /** The row whose region the picture outlines; pointing at (or focusing) a row chooses it. */
  highlighted?: number | null;
  onHighlight?: (index: number | null) => void;
}

/** One row per defect region: where it is, how big, how anomalous at its worst. */
export function DefectList({ regions, scale = null, highlighted = null, onHighlight }: Props) {
  const peak = (region: Region) => {
    const normalised = scale ? normaliseScore(region.peakScore, scale) : null;
    return normalised === null ? formatScore(region.peakScore) : formatNormalisedScore(normalised);
  };
  return (
    <div className="defects">
      <h3>Defects ({regions.length})</h3>
      {regions.length === 0 && <p className="muted">No defect regions.</p>}
      <ol className="defects__list" data-testid="defect-list">
        {regions.map((region, index) => (
          <li
            key={`${region.x},${region.y},${index}`}
            data-testid="defect-row"
            data-highlighted={highlighted === index}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a row can be focused to outline its region, as pointing at it does
            tabIndex={0}
            onPointerEnter={() => onHighlight?.(index)}
            onPointerLeave={() => onHighlight?.(null)}
            onFocus={() => onHighlight?.(index)}
            onBlur={() => onHighlight?.(null)}
          >
            <span>
              at ({Math.round(region.x)}, {Math.round(region.y)}) size {Math.round(region.width)}×{Math.round(region.height)}
            </span>
            <span>area {Math.round(region.area)} px</span>
            <span title={`raw ${formatScore(region.peakScore)}`}>peak {peak(region)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
