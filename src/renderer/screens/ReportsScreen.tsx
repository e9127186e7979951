import { useMemo, useState } from 'react';
import type { ReportFilter } from '../../shared/api/apiRecords';
import { DateTimeField } from '../components/DateTimeField';
import { Panel } from '../components/Panel';
import { ProductSelect } from '../components/ProductSelect';
import { VerdictSelect, type VerdictFilter } from '../components/VerdictSelect';
import { useApiQuery } from '../hooks/useApiQuery';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { useProducts } from '../hooks/useProducts';
import { dateRangeProblem } from '../lib/dateRange';
import { localInputToIso } from '../lib/localDateTime';
import { ReportCharts } from './reports/ReportCharts';
import { ReportExport } from './reports/ReportExport';

/** CSV defect reports: pick the rows, see how many there are, export; and the defect rate and a Pareto of the same range. */
export function ReportsScreen() {
  const products = useProducts();
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [product, setProduct] = useState('');
  const [verdict, setVerdict] = useState<VerdictFilter>('');

  const from = localInputToIso(useDebouncedValue(fromText, 300));
  const to = localInputToIso(useDebouncedValue(toText, 300));
  const filter = useMemo<ReportFilter>(
    () => ({ from, to, product: product || null, verdict: verdict || null }),
    [from, to, product, verdict],
  );
  const count = useApiQuery((client) => client['reports.count']({ filter }), [filter]);
  const summary = useApiQuery(
    (client) => client['reports.summary']({ filter, utcOffsetMinutes: -new Date().getTimezoneOffset() }),
    [filter],
  );
  const rangeProblem = dateRangeProblem(from, to);

  return (
    <div className="screen screen--reports">
      <Panel title="Defect report (CSV)">
        <div className="filters">
          <DateTimeField label="From" value={fromText} onChange={setFromText} testId="report-from" />
          <DateTimeField label="To" value={toText} onChange={setToText} testId="report-to" />
          <ProductSelect
            products={products.data ?? []}
            value={product}
            onChange={setProduct}
            testId="report-product"
            label="Product"
            emptyOption="All products"
          />
          <VerdictSelect value={verdict} onChange={setVerdict} testId="report-verdict" />
        </div>
        <p className="big">
          Rows: <strong data-testid="report-count">{count.data ? count.data.rows : '…'}</strong>
        </p>
        {rangeProblem && (
          <p className="notice notice--error" data-testid="report-range-problem">
            {rangeProblem}
          </p>
        )}
        {!rangeProblem && count.data?.rows === 0 && (
          <p className="notice" data-testid="report-empty">
            No inspection matches these dates and filters: the report would have only its header row.
          </p>
        )}
        <ReportExport filter={filter} disabled={rangeProblem !== null} />
      </Panel>
      {summary.data && !rangeProblem && (
        <Panel title="Defects over time and by product">
          <ReportCharts summary={summary.data} />
        </Panel>
      )}
    </div>
  );
}
