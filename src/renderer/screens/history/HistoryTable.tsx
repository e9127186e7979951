import type { InspectionResult } from '../../../shared/api/apiRecords';
import { formatScore, formatShownScore } from '../../lib/formatNumbers';
import { formatDateTime } from '../../lib/formatTime';
import { useStation } from '../../connection/StationContext';
import { reviewLabel } from '../../lib/reviewLabel';
import { sourceLabel } from '../../lib/sourceLabel';

interface Props {
  rows: readonly InspectionResult[];
  selectedId: number | null;
  onOpen: (row: InspectionResult) => void;
}

/** One row per inspection; a row opens its detail on click, Enter or Space. */
export function HistoryTable({ rows, selectedId, onOpen }: Props) {
  const { bridge } = useStation();
  return (
    <div className="table-scroll">
      <table className="table table--clickable" data-testid="history-table">
        <thead>
          <tr>
            <th>Image</th>
            <th>Time</th>
            {/* What a reviewer scans for first, before the table may need scrolling beside an open detail. */}
            <th>Verdict</th>
            <th title="0.5 is the threshold on every product">Score</th>
            <th>Product</th>
            <th>File</th>
            <th>Model</th>
            <th>Operator</th>
            <th>Review</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              data-testid="history-row"
              data-inspection-id={row.id}
              tabIndex={0}
              aria-selected={row.id === selectedId}
              onClick={() => onOpen(row)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onOpen(row);
                }
              }}
            >
              <td>
                {row.image ? (
                  <img className="thumbnail" src={bridge.imageUrl(row.image)} alt="" loading="lazy" />
                ) : (
                  <span className="muted" title={row.imagesNote ?? ''}>
                    no image
                  </span>
                )}
              </td>
              <td>{formatDateTime(row.at)}</td>
              <td className={row.verdict === 'pass' ? 'text-pass' : 'text-fail'}>{row.verdict === 'pass' ? 'PASS' : 'FAIL'}</td>
              <td title={`raw ${formatScore(row.score)} / ${formatScore(row.threshold)}`}>{formatShownScore(row)}</td>
              <td>{row.product}</td>
              <td className="history-file" data-testid="history-file" title={`source: ${sourceLabel(row.source)}`}>
                {row.fileName}
              </td>
              <td className="history-model" title={row.modelVersion}>
                {row.modelVersion}
              </td>
              <td>{row.operator ?? '—'}</td>
              <td>{reviewLabel(row.review)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
