import { useState } from 'react';
import type { InspectionResult } from '../../shared/api/apiRecords';
import { DateTimeField } from '../components/DateTimeField';
import { Panel } from '../components/Panel';
import { ProductSelect } from '../components/ProductSelect';
import { VerdictSelect, type VerdictFilter } from '../components/VerdictSelect';
import { useApiQuery } from '../hooks/useApiQuery';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { useProducts } from '../hooks/useProducts';
import { useStationEvent } from '../hooks/useStationEvent';
import { useStoredChoice } from '../hooks/useStoredChoice';
import { dateRangeProblem } from '../lib/dateRange';
import { localInputToIso } from '../lib/localDateTime';
import { HistoryDetail } from './history/HistoryDetail';
import { HistoryGrid } from './history/HistoryGrid';
import { HistoryTable } from './history/HistoryTable';

/** Rows per page in the table, and tiles per page in the grid (a screenful of small pictures). */
const PAGE_SIZE = { table: 25, grid: 48 } as const;
const HISTORY_VIEWS = ['table', 'grid'] as const;

/** Past inspections, newest first, filtered and paged, as a table or as a grid of pictures; a row or tile opens its detail. */
export function HistoryScreen() {
  const products = useProducts();
  const [product, setProduct] = useState('');
  const [verdict, setVerdict] = useState<VerdictFilter>('');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<InspectionResult | null>(null);
  // Remembered in this browser: a station that reviews by pictures opens on them after a reload too.
  const [view, setView] = useStoredChoice('qa-station.history-view', HISTORY_VIEWS, 'table');
  const pageSize = PAGE_SIZE[view];
  const from = localInputToIso(useDebouncedValue(fromText, 300));
  const to = localInputToIso(useDebouncedValue(toText, 300));

  const history = useApiQuery(
    (client) => client['history.list']({ page, pageSize, product: product || null, verdict: verdict || null, from, to }),
    [page, pageSize, product, verdict, from, to],
  );
  // New results (hot folder, camera in another window) show up without pressing anything.
  useStationEvent('inspection', () => void history.reload());

  // Any filter change starts again at the first page.
  const filterChanged =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(0);
    };

  const rangeProblem = dateRangeProblem(from, to);
  const total = history.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const rows = history.data?.rows ?? [];

  const onReviewed = (updated: InspectionResult) => {
    setSelected(updated);
    history.setData((current) => current && { ...current, rows: current.rows.map((r) => (r.id === updated.id ? updated : r)) });
  };

  return (
    <div className={`screen screen--history${selected ? ' screen--with-detail' : ''}`}>
      <Panel title="History">
        <div className="filters">
          <ProductSelect
            products={products.data ?? []}
            value={product}
            onChange={filterChanged(setProduct)}
            testId="history-filter-product"
            label="Product"
            emptyOption="All products"
          />
          <VerdictSelect value={verdict} onChange={filterChanged(setVerdict)} testId="history-filter-verdict" />
          <DateTimeField label="From" value={fromText} onChange={filterChanged(setFromText)} testId="history-filter-from" />
          <DateTimeField label="To" value={toText} onChange={filterChanged(setToText)} testId="history-filter-to" />
          <fieldset className="button-row history-view" aria-label="Show as">
            {HISTORY_VIEWS.map((v) => (
              <button
                key={v}
                type="button"
                className="button"
                aria-pressed={view === v}
                data-testid={`history-view-${v}`}
                onClick={() => filterChanged(setView)(v)}
              >
                {v === 'table' ? 'Table' : 'Pictures'}
              </button>
            ))}
          </fieldset>
        </div>
        {view === 'table' ? (
          <HistoryTable rows={rows} selectedId={selected?.id ?? null} onOpen={setSelected} />
        ) : (
          <HistoryGrid rows={rows} selectedId={selected?.id ?? null} onOpen={setSelected} />
        )}
        {rangeProblem && (
          <p className="notice notice--error" data-testid="history-range-problem">
            {rangeProblem}
          </p>
        )}
        {history.data && rows.length === 0 && !rangeProblem && <p className="muted big">No inspections match.</p>}
        <div className="pager">
          <button
            type="button"
            className="button"
            data-testid="history-prev"
            disabled={page === 0}
            onClick={() => setPage((p) => Math.max(0, p - 1))}
          >
            ← Newer
          </button>
          <span data-testid="history-page">
            Page {page + 1} of {pages} ({total} inspections)
          </span>
          <button
            type="button"
            className="button"
            data-testid="history-next"
            disabled={page + 1 >= pages}
            onClick={() => setPage((p) => p + 1)}
          >
            Older →
          </button>
        </div>
      </Panel>
      {selected && <HistoryDetail result={selected} onChanged={onReviewed} onClose={() => setSelected(null)} />}
    </div>
  );
}
