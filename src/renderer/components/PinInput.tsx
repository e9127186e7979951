import type { InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'inputMode' | 'autoComplete'> & {
  /** A PIN being chosen (the browser may offer to save it) rather than one being typed to unlock. */
  isNew: boolean;
};

/** How every PIN is typed: hidden, with the numeric keypad on touch screens. */
export function PinInput({ isNew, ...input }: Props) {
  return <input {...input} type="password" inputMode="numeric" autoComplete={isNew ? 'new-password' : 'current-password'} />;
}
