import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/apiErrors';
import type { ReportFilter } from '../../../shared/api/apiRecords';
import { useStation } from '../../connection/StationContext';
import { useApiCall } from '../../hooks/useApiCall';

/** The Export CSV button and where the file went; its call lives in the report's panel, so a failure is said there. */
export function ReportExport({ filter, disabled }: { filter: ReportFilter; disabled: boolean }) {
  const { bridge } = useStation();
  const [saved, setSaved] = useState<string | null>(null);
  // "Saved to …" belongs to the rows it was exported with, not to the next filter.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter is the reset trigger
  useEffect(() => setSaved(null), [filter]);

  // exportReport answers with an ApiResult rather than throwing: turn a failure into an ApiError
  // so that it is reported like every other call.
  const exportCall = useApiCall(async (_client, chosen: ReportFilter) => {
    const result = await bridge.exportReport(chosen);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    return result.value;
  });
  const onExport = async () => {
    setSaved(null);
    const result = await exportCall.run(filter);
    if (result) setSaved(result.savedTo ? `Saved to ${result.savedTo}` : 'Downloaded');
  };

  return (
    <>
      <button
        type="button"
        className="button button--primary button--huge"
        data-testid="report-export"
        disabled={exportCall.pending || disabled}
        onClick={() => void onExport()}
      >
        {exportCall.pending ? 'Exporting…' : 'Export CSV'}
      </button>
      {saved && (
        <p className="big wrap" role="status" data-testid="report-result">
          {saved}
        </p>
      )}
    </>
  );
}
