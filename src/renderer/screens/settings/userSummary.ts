import type { MethodOutput } from '../../../shared/api/stationApi';

/** A row of users.list (the contract names the schema but exports no type for it). */
export type UserSummary = MethodOutput<'users.list'>[number];
export type AuditEntry = MethodOutput<'audit.list'>[number];
export type UserRole = UserSummary['role'];
