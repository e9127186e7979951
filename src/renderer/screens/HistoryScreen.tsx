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
import { localInputToIso } from '../lib/localDateTime';
import { HistoryDetail } from './history/HistoryDetail';
import { HistoryTable } from './history/HistoryTable';

const PAGE_SIZE = 25;

/** Past inspections, newest first, filtered and paged; a row opens its detail. */
export function HistoryScreen() {
  const products = useProducts();
  const [product, setProduct] = useState('');
  const [verdict, setVerdict] = useState<VerdictFilter>('');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<InspectionResult | null>(null);
  const from = localInputToIso(useDebouncedValue(fromText, 300));
  const to = localInputToIso(useDebouncedValue(toText, 300));

  const history = useApiQuery(
    (client) => client['history.list']({ page, pageSize: PAGE_SIZE, product: product || null, verdict: verdict || null, from, to }),
    [page, product, verdict, from, to],
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

  const total = history.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
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
        </div>
        <HistoryTable rows={rows} selectedId={selected?.id ?? null} onOpen={setSelected} />
        {history.data && rows.length === 0 && <p className="muted big">No inspections match.</p>}
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
