import os from 'node:os';
import { settingsSchema, type Settings } from '../../../shared/api/apiRecords';
import type { Catalog } from '../../catalog/catalog';

export const DEFAULT_SETTINGS: Settings = {
  stationName: os.hostname() || 'station',
  hotFolder: null,
  cameraDeviceId: null,
  captureIntervalSeconds: 0,
  targetFalseRejectRate: 0.02,
  retentionDays: null,
  retentionMaxGb: null,
  mqttUrl: null,
  mqttTopic: 'qa-station/results',
  opcuaEnabled: false,
  opcuaPort: 4840,
  opcuaSecurity: 'sign-and-encrypt',
  opcuaAnonymous: false,
  opcuaUser: null,
  lineFrameSource: 'inspect-screen',
  lineFrameTimeoutSeconds: 3,
};

/** The station's settings from the catalogue; a stored value that fails its schema falls back to the default. */
export function readSettings(catalog: Catalog): Settings {
  const stored = catalog.settings.all();
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const candidate = { ...DEFAULT_SETTINGS, [key]: stored[key] };
    if (key in stored && settingsSchema.safeParse(candidate).success) merged[key] = stored[key];
  }
  return settingsSchema.parse(merged);
}

export function writeSettings(catalog: Catalog, changes: Partial<Settings>): Settings {
  const next = settingsSchema.parse({ ...readSettings(catalog), ...changes });
  catalog.settings.setMany(changes);
  return next;
}
