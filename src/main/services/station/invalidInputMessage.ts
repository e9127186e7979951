import type { ZodIssue } from 'zod';

/** Fields whose words do not follow from their names. */
const FIELD_LABELS: Record<string, string> = {
  mqttUrl: 'MQTT broker',
  mqttTopic: 'MQTT topic',
  opcuaPort: 'OPC UA port',
  opcuaUser: 'PLC user name',
  lineFrameTimeoutSeconds: 'Wait for the image (s)',
};

/** Field names as people read them ("captureIntervalSeconds" -> "capture interval seconds"; "pin" -> "PIN"). */
function fieldLabel(path: readonly PropertyKey[]): string {
  const known = path.length === 1 ? FIELD_LABELS[String(path[0])] : undefined;
  if (known) return known;
  const words = path
    .filter((p): p is string => typeof p === 'string')
    .map((key) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase())
    .join(' ');
  const label = words.replace(/\bpin\b/g, 'PIN');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/**
 * A request that does not fit its schema, in words for the person at the station: each field and
 * what is wrong with it, without the API method or schema paths (those go to the station log).
 */
export function invalidInputMessage(issues: readonly ZodIssue[]): string {
  return issues
    .map((issue) => {
      const label = fieldLabel(issue.path);
      // A rule that names its field already ("A PIN is 4 to 12 digits...") is not prefixed again.
      return label && !issue.message.toLowerCase().includes(label.toLowerCase()) ? `${label}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
