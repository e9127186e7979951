interface Props {
  label: string;
  testId: string;
  /** The text as typed, so a half-typed number is not rewritten under the operator's fingers. */
  value: string | number;
  onChange: (text: string) => void;
  onBlur?: () => void;
  min: number;
  max: number;
  step: number;
  disabled?: boolean;
  narrow?: boolean;
}

/** A labelled number input with its allowed range. */
export function NumberField({ label, testId, value, onChange, onBlur, min, max, step, disabled = false, narrow = false }: Props) {
  return (
    <label className={narrow ? 'field field--narrow' : 'field'}>
      <span className="field__label">{label}</span>
      <input
        data-testid={testId}
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        {...(onBlur ? { onBlur } : {})}
      />
    </label>
  );
}
