import type { InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'inputMode' | 'autoComplete'> & {
  /** A PIN being chosen (the browser may offer to save it) rather than one being typed to unlock. */
  isNew: boolean;
};

/** How every PIN or passphrase is typed: hidden; a keyboard with letters, since passphrases are allowed. */
export function PinInput({ isNew, ...input }: Props) {
  return <input {...input} type="password" inputMode="text" autoComplete={isNew ? 'new-password' : 'current-password'} />;
}
