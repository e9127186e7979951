/** A local date and time input; the value stays in the input's own format ("" = not set). */
export function DateTimeField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <input data-testid={testId} type="datetime-local" step={1} value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}
