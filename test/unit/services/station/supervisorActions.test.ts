import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { authenticateSupervisor, MAX_FAILED_UNLOCKS, UNLOCK_LOCKOUT_MS } from '../../../../src/main/services/station/supervisorActions';

let dir: string;
let catalog: Catalog;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qa-lockout-'));
  catalog = Catalog.open(path.join(dir, 'catalog.sqlite'));
  catalog.users.create('sam', 'supervisor', '2468');
});
afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const attempt = (pin: string, now: number) => {
  try {
    return authenticateSupervisor(catalog, 'sam', pin, now).name;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('supervisor PIN lockout', () => {
  it('locks a name for the lockout time after too many wrong PINs, whatever else happens meanwhile', () => {
    const t0 = 1_000_000;
    for (let i = 0; i < MAX_FAILED_UNLOCKS; i++) expect(attempt('0000', t0 + i)).toMatch(/wrong/);
    // Audit rows do not count any more: thousands of them change nothing.
    for (let i = 0; i < 2000; i++) catalog.audit.record({ actor: 'x', action: 'auth.refused', details: { reason: 'noise' } });
    expect(attempt('2468', t0 + 10)).toMatch(/Too many wrong PINs/);
    expect(attempt('2468', t0 + UNLOCK_LOCKOUT_MS - 1)).toMatch(/Too many wrong PINs/);
    expect(attempt('2468', t0 + MAX_FAILED_UNLOCKS + UNLOCK_LOCKOUT_MS)).toBe('sam');
  });

  it('forgets old failures and those before a right PIN', () => {
    const t0 = 5_000_000;
    for (let i = 0; i < MAX_FAILED_UNLOCKS - 1; i++) attempt('0000', t0 + i);
    expect(attempt('2468', t0 + 10)).toBe('sam');
    for (let i = 0; i < MAX_FAILED_UNLOCKS - 1; i++) attempt('0000', t0 + 20 + i);
    expect(attempt('0000', t0 + 20 + UNLOCK_LOCKOUT_MS + 1)).toMatch(/wrong/); // a new window
    expect(attempt('2468', t0 + 20 + UNLOCK_LOCKOUT_MS + 2)).toBe('sam');
  });
});
