import { useState } from 'react';

interface Props {
  label: string;
  /** What the action will do, asked before it is done ("Make m-2 the active model?"). */
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId: string;
  className?: string;
}

/**
 * A button for an action that changes the line (promote, roll back, cancel training): the first
 * press asks in place, the second does it. In the page, not a blocking dialog, so it works the same
 * on a touch screen and in every window.
 */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, disabled = false, testId, className = 'button' }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className={className} data-testid={testId} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <fieldset className="confirm">
      <legend className="confirm__question">{question}</legend>
      <button
        type="button"
        className={className}
        data-testid={`${testId}-confirm`}
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button--quiet" data-testid={`${testId}-back`} onClick={() => setAsking(false)}>
        No
      </button>
    </fieldset>
  );
}
