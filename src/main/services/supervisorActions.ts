import type { ModelVersion, User } from '../../shared/catalogTypes';
import type { Catalog } from '../catalog/catalog';

export class NotAuthorisedError extends Error {
  constructor() {
    super('Supervisor name or PIN is wrong (or the account is not a supervisor)');
  }
}

/** A supervisor's identity, checked against the catalogue's salted PIN hash. */
export function authenticateSupervisor(catalog: Catalog, name: string, pin: string): User {
  const user = catalog.users.authenticate(name, pin);
  if (!user || user.role !== 'supervisor') {
    catalog.audit.record({ actor: name, action: 'auth.refused', details: { reason: 'supervisor PIN check failed' } });
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
