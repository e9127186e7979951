/**
 * What a supervisor (or operator) may use to sign: a PIN of 4 to 12 digits, or, for more than a
 * PIN's strength, a passphrase of 8 to 128 characters (no control characters). Longer is offered,
 * not required.
 */
export const PIN_RULE = 'A PIN is 4 to 12 digits, or a passphrase of 8 to 128 characters';

export function isAcceptablePin(pin: string): boolean {
  const printable = [...pin].every((c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) !== 127);
  return /^[0-9]{4,12}$/.test(pin) || (printable && pin.length >= 8 && pin.length <= 128);
}
