import type Database from 'better-sqlite3';
import type { User, UserRole } from '../../../shared/catalogTypes';
import { DomainError } from '../../domainError';
import { nowIso } from './jsonColumn';
import { hashPin, verifyPin } from './pinHash';

interface UserRow {
  id: number;
  name: string;
  role: UserRole;
  pin_hash: string | null;
  created_at: string;
  disabled: number;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  role: r.role,
  hasPin: r.pin_hash !== null,
  createdAt: r.created_at,
  disabled: r.disabled === 1,
});

/** Operators and supervisors. PINs are kept only as salted scrypt hashes. */
export class UserRepository {
  constructor(private readonly db: Database.Database) {}

  create(name: string, role: UserRole, pin?: string): User {
    if (name.trim().length === 0 || name.length > 64) throw new DomainError('invalid-input', 'A user name is 1 to 64 characters');
    if (this.getByName(name.trim())) throw new DomainError('conflict', `A user named "${name.trim()}" exists already`);
    if (role === 'supervisor' && !pin) throw new DomainError('invalid-input', 'A supervisor needs a PIN');
    const info = this.db
      .prepare('INSERT INTO users (name, role, pin_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(name.trim(), role, pin ? hashPin(pin) : null, nowIso());
    return this.get(Number(info.lastInsertRowid)) as User;
  }

  get(id: number): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  /** Names are one account in any case: "Maria" finds "maria". */
  getByName(name: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ? COLLATE NOCASE').get(name) as UserRow | undefined;
    return row && toUser(row);
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
  }

  setPin(id: number, pin: string): void {
    this.db.prepare('UPDATE users SET pin_hash = ? WHERE id = ?').run(hashPin(pin), id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
  }

  /** The user when the PIN matches an enabled account, else undefined (no hint which part was wrong). */
  authenticate(name: string, pin: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ? COLLATE NOCASE').get(name) as UserRow | undefined;
    if (!row || row.disabled === 1 || row.pin_hash === null) return undefined;
    return verifyPin(pin, row.pin_hash) ? toUser(row) : undefined;
  }
}
