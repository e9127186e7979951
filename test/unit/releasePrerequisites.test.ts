import { describe, expect, it } from 'vitest';
import { missingPrerequisites } from '../../scripts/releasePrerequisites.mjs';

describe('release prerequisites (npm run dist)', () => {
  const ready = { nodeVersion: 'v22.12.0', electronBinary: true, headersReachable: true, tools: { python3: true, make: true } };

  it('finds nothing missing on a ready machine', () => {
    expect(missingPrerequisites(ready)).toEqual([]);
    expect(missingPrerequisites({ ...ready, nodeVersion: 'v24.1.0' })).toEqual([]);
  });

  it('lists everything that is missing, before electron-builder starts', () => {
    const missing = missingPrerequisites({
      nodeVersion: 'v20.20.2',
      electronBinary: false,
      headersReachable: false,
      tools: { python3: true, make: false },
    });
    expect(missing).toHaveLength(4);
    expect(missing[0]).toMatch(/Node\.js 22\.12 or newer \(this is v20\.20\.2\)/);
    expect(missing[1]).toMatch(/Electron's binary/);
    expect(missing[2]).toMatch(/artifacts\.electronjs\.org/);
    expect(missing[3]).toMatch(/^make on the PATH/);
    expect(missingPrerequisites({ ...ready, nodeVersion: 'v22.11.9' })).toHaveLength(1);
  });
});
