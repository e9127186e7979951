import type { ModelVersion, User } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import { RepeatThrottle } from './repeatThrottle';

export class NotAuthorisedError extends Error {
  constructor(message = 'Supervisor name or PIN is wrong (or the account is not a supervisor)') {
    super(message);
  }
}

/** A 4-digit PIN falls to guessing without a limit: this many wrong tries lock the name for a while. */
export const MAX_FAILED_UNLOCKS = 5;
export const UNLOCK_LOCKOUT_MS = 5 * 60 * 1000;
const PIN_POLICY = { maxFailures: MAX_FAILED_UNLOCKS, windowMs: UNLOCK_LOCKOUT_MS, lockMs: UNLOCK_LOCKOUT_MS };
const PIN_FAILURE = 'supervisor PIN check failed';

/** Attempts while locked are refused without a row each (one a minute per name). */
const lockedOutRows = new RepeatThrottle();
const unknownNameRows = new RepeatThrottle();

function lockedOut(name: string, until: number, now: number): NotAuthorisedError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60000));
  return new NotAuthorisedError(`Too many wrong PINs for "${name}": wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again`);
}

/**
 * A user's identity, checked against the catalogue's salted PIN hash (`role` set: only that role
 * passes). MAX_FAILED_UNLOCKS wrong PINs for a name lock it for UNLOCK_LOCKOUT_MS, counted in their
 * own table under the name in any case ("Maria" and "maria" are one account, and one count):
 * nothing else that happens meanwhile (other refusals, other names) shortens a lock.
 */
export function authenticateUser(catalog: Catalog, name: string, pin: string, role?: User['role'], now = Date.now()): User {
  const account = catalog.users.getByName(name);
  const key = (account?.name ?? name).toLowerCase();
  const until = catalog.pinAttempts.lockedUntil(key, now);
  if (until) {
    if (lockedOutRows.admit(key, now).record)
      catalog.audit.record({
        actor: name,
        action: 'auth.locked-out',
        details: { reason: `${MAX_FAILED_UNLOCKS} wrong PINs within ${UNLOCK_LOCKOUT_MS / 60000} minutes` },
      });
    throw lockedOut(name, until, now);
  }
  const user = catalog.users.authenticate(name, pin);
  if (!user || (role && user.role !== role)) {
    const locked = catalog.pinAttempts.recordFailure(key, now, PIN_POLICY);
    // Every wrong PIN for a real user is recorded; guesses at names nobody has are throttled (one
    // row a minute with a count), so a flood of made-up names cannot fill the log.
    const { record, repeats } = account ? { record: true, repeats: 0 } : unknownNameRows.admit('unknown-names', now);
    if (record)
      catalog.audit.record({
        actor: name,
        action: 'auth.refused',
        details: {
          reason: role === 'supervisor' ? PIN_FAILURE : 'PIN check failed',
          ...(locked ? { lockedUntil: new Date(locked).toISOString() } : {}),
          ...(repeats > 0 ? { unknownNamesSinceLastRow: repeats } : {}),
        },
      });
    throw role === 'supervisor' ? new NotAuthorisedError() : new NotAuthorisedError('Name or PIN is wrong');
  }
  catalog.pinAttempts.clear(key);
  return user;
}

/** A supervisor's identity (authenticateUser for the supervisor role). */
export function authenticateSupervisor(catalog: Catalog, name: string, pin: string, now = Date.now()): User {
  return authenticateUser(catalog, name, pin, 'supervisor', now);
}

/** Makes a model version the active one (promote, or roll back to an older one), audit-logged. */
export function promoteModel(catalog: Catalog, supervisor: User, version: string): ModelVersion {
  const model = catalog.models.getByVersion(version);
  if (!model) throw new DomainError('not-found', `No model version "${version}"`);
  const previous = catalog.models.active();
  catalog.models.promote(model.id);
  catalog.audit.record({
    userId: supervisor.id,
    actor: supervisor.name,
    action: 'model.promote',
    target: version,
    details: { previous: previous?.version ?? null },
  });
  return catalog.models.get(model.id) as ModelVersion;
}
