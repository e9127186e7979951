/** One numbered schema change. Versions are consecutive from 1; a migration never changes once shipped. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
