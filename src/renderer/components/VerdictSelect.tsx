import type { InspectionResult } from '../../shared/api/apiRecords';

export type VerdictFilter = InspectionResult['verdict'] | '';

/** All / PASS / FAIL. */
export function VerdictSelect({
  value,
  onChange,
  testId,
}: {
  value: VerdictFilter;
  onChange: (value: VerdictFilter) => void;
  testId: string;
}) {
  return (
    <label className="field">
      <span className="field__label">Verdict</span>
      <select data-testid={testId} value={value} onChange={(event) => onChange(toVerdictFilter(event.target.value))}>
        <option value="">All verdicts</option>
        <option value="pass">PASS</option>
        <option value="fail">FAIL</option>
      </select>
    </label>
  );
}

function toVerdictFilter(value: string): VerdictFilter {
  return value === 'pass' || value === 'fail' ? value : '';
}
