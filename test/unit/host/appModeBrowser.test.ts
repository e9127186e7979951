import { describe, expect, it } from 'vitest';
import { hasDisplay } from '../../../src/main/host/appModeBrowser';

describe('app-mode browser', () => {
  it('knows when Linux has no display to open a window on', () => {
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(hasDisplay({}, 'win32')).toBe(true);
  });
});
