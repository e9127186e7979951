import { describe, expect, it } from 'vitest';
import { StationSessions, SUPERVISOR_UNLOCK_MS } from '../../../../src/main/services/station/stationSessions';

describe('sessions', () => {
  it('keeps a supervisor unlocked per connection until the unlock expires', () => {
    let now = 1_000_000;
    const sessions = new StationSessions(() => now);
    sessions.unlock('tab-a', { id: 1, name: 'sam' });
    expect(sessions.supervisor('tab-a')?.name).toBe('sam');
    expect(sessions.supervisor('tab-b')).toBeNull();
    now += SUPERVISOR_UNLOCK_MS - 1;
    expect(sessions.describe('tab-a').supervisor?.name).toBe('sam');
    now += 2;
    expect(sessions.supervisor('tab-a')).toBeNull();
  });
});
