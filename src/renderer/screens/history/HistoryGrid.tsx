import type { InspectionResult } from '../../../shared/api/apiRecords';
import { useStation } from '../../connection/StationContext';
import { formatShownScore } from '../../lib/formatNumbers';
import { formatDateTime } from '../../lib/formatTime';
import { reviewLabel } from '../../lib/reviewLabel';

interface Props {
  rows: readonly InspectionResult[];
  selectedId: number | null;
  onOpen: (row: InspectionResult) => void;
}

/**
 * Batch review: the results as a grid of overlays, verdict by colour, so a lot can be scanned at a
 * glance; a tile opens its detail (where it is reviewed) on click, Enter or Space.
 */
export function HistoryGrid({ rows, selectedId, onOpen }: Props) {
  const { bridge } = useStation();
  return (
    <ul className="history-grid" data-testid="history-grid">
      {rows.map((row) => {
        const picture = row.overlay ?? row.image;
        return (
          <li key={row.id}>
            <button
              type="button"
              className={`history-tile history-tile--${row.verdict}`}
              data-testid="history-tile"
              data-inspection-id={row.id}
              aria-pressed={row.id === selectedId}
              title={`${row.fileName}, ${formatDateTime(row.at)}`}
              onClick={() => onOpen(row)}
            >
              {picture ? (
                <img className="history-tile__picture" src={bridge.imageUrl(picture)} alt="" loading="lazy" />
              ) : (
                <span className="muted">no image</span>
              )}
              <span className="history-tile__caption">
                <strong>{row.verdict === 'pass' ? 'PASS' : 'FAIL'}</strong> {formatShownScore(row)}
                <span className="history-tile__product">{row.product}</span>
                {row.review && <span className="history-tile__review">{reviewLabel(row.review)}</span>}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
