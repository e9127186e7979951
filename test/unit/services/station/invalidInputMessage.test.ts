import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { PIN_RULE, isAcceptablePin } from '../../../../src/shared/pinRule';
import { invalidInputMessage } from '../../../../src/main/services/station/invalidInputMessage';
import { settingsSchema } from '../../../../src/shared/api/apiRecords';

const issuesOf = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a refusal');
  return parsed.error.issues;
};

describe('refused requests in words for people', () => {
  it('names the field as people read it, without the API method or schema paths', () => {
    const schema = z.object({ name: z.string().min(1), pin: z.string().refine(isAcceptablePin, PIN_RULE) });
    const message = invalidInputMessage(issuesOf(schema, { name: '', pin: '1' }));
    expect(message).toMatch(/^Name: .+; A PIN is 4 to 12 digits/);
    expect(message).not.toMatch(/setup\.|firstSupervisor|pin:/);
  });

  it('splits camel-case field names and keeps a message that stands alone', () => {
    const schema = z.object({ captureIntervalSeconds: z.number().max(3600) });
    expect(invalidInputMessage(issuesOf(schema, { captureIntervalSeconds: 5000 }))).toMatch(/^Capture interval seconds: /);
    expect(invalidInputMessage(issuesOf(z.string(), 5))).not.toMatch(/^:/);
  });

  it('says what is wrong with the MQTT broker address at hand, under the name people know it by', () => {
    const refusal = (mqttUrl: string) => invalidInputMessage(issuesOf(settingsSchema.partial(), { mqttUrl }));
    const messages = ['http://broker:1883', 'mqtt://user:secret@broker:1883', 'mqtt://bro ker', 'mqtt://broker:port'].map(refusal);
    expect(messages.every((m) => m.startsWith('MQTT broker: '))).toBe(true);
    expect(messages[0]).toMatch(/starts with mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\//);
    expect(messages[1]).toMatch(/without a user name or password/);
    expect(messages[2]).toMatch(/without spaces/);
    expect(messages[3]).toMatch(/a host name \(or \[IPv6 address\]\) and an optional port number/);
    expect(refusal('mqtt://broker:99999')).toMatch(/a port number from 1 to 65535/);
    for (const good of ['mqtts://broker.local:8883/mqtt', 'mqtt://[::1]:1883', 'ws://10.0.0.5/mqtt'])
      expect(settingsSchema.partial().safeParse({ mqttUrl: good }).success, good).toBe(true);
  });
});
