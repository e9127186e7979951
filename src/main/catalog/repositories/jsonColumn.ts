/** JSON text columns: written with JSON.stringify, read back with a null-safe parse. */
export function toJsonColumn(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJsonColumn<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function nowIso(): string {
  return new Date().toISOString();
}
