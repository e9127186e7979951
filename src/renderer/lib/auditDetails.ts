/** An audit entry's details as people read them: `key: value`, comma-separated, nested values as compact JSON. */
export function formatAuditDetails(details: Record<string, unknown> | null | undefined): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
