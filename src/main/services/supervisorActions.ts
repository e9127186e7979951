import type { ModelVersion, User } from '../../shared/catalogTypes';
import type { Catalog } from '../catalog/catalog';

export class NotAuthorisedError extends Error {
  constructor(message = 'Supervisor name or PIN is wrong (or the account is not a supervisor)') {
    super(message);
  }
}

/** A 4-digit PIN falls to guessing without a limit: this many wrong tries lock the name for a while. */
export const MAX_FAILED_UNLOCKS = 5;
export const UNLOCK_LOCKOUT_MS = 5 * 60 * 1000;
const PIN_FAILURE = 'supervisor PIN check failed';

function recentFailures(catalog: Catalog, name: string, now: number): number {
  const since = new Date(now - UNLOCK_LOCKOUT_MS).toISOString();
  return catalog.audit.list({ action: 'auth.refused', from: since, limit: 1000 }).filter((e) => e.actor === name && e.details?.reason === PIN_FAILURE).length;
}


/** A supervisor's identity, checked against the catalogue's salted PIN hash (with a lockout after repeated failures). */
export function authenticateSupervisor(catalog: Catalog, name: string, pin: string, now = Date.now()): User {
  if (recentFailures(catalog, name, now) >= MAX_FAILED_UNLOCKS) {
    catalog.audit.record({ actor: name, action: 'auth.locked-out', details: { reason: `${MAX_FAILED_UNLOCKS} wrong PINs within ${UNLOCK_LOCKOUT_MS / 60000} minutes` } });
    throw new NotAuthorisedError(`Too many wrong PINs for "${name}": wait ${UNLOCK_LOCKOUT_MS / 60000} minutes and try again`);
  }
  const user = catalog.users.authenticate(name, pin);
  if (!user || user.role !== 'supervisor') {
    catalog.audit.record({ actor: name, action: 'auth.refused', details: { reason: PIN_FAILURE } });
    throw new NotAuthorisedError();
  }
  return user;
}

/** Makes a model version the active one (promote, or roll back to an older one), audit-logged. */
export function promoteModel(catalog: Catalog, supervisor: User, version: string): ModelVersion {
  const model = catalog.models.getByVersion(version);
  if (!model) throw new Error(`No model version "${version}"`);
  const previous = catalog.models.active();
  catalog.models.promote(model.id);
  catalog.audit.record({ userId: supervisor.id, actor: supervisor.name, action: 'model.promote', target: version, details: { previous: previous?.version ?? null } });
  return catalog.models.get(model.id) as ModelVersion;
}
