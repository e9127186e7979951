import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { isAcceptablePin, PIN_RULE } from '../../../shared/pinRule';
import { DomainError } from '../../domainError';

/** scrypt parameters: ~16 MiB and a few tens of ms per check, plenty for a 4-8 digit PIN at a kiosk. */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export { isAcceptablePin };

/** "scrypt$N$r$p$salt$hash" (base64), so parameters can be raised later without breaking old hashes. */
export function hashPin(pin: string): string {
  if (!isAcceptablePin(pin)) throw new DomainError('invalid-input', PIN_RULE);
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifyPin(pin: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashB64, 'base64');
  const actual = scryptSync(pin, Buffer.from(saltB64, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
