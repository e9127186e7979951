import os from 'node:os';
import path from 'node:path';

/** The station's data folder and what lives in it. */
export interface StationPaths {
  home: string;
  catalogFile: string;
  modelsDir: string;
  backboneCacheDir: string;
  imagesDir: string;
  logsDir: string;
  /** The OPC UA server's certificate and the certificates of the clients it has seen. */
  opcuaPkiDir: string;
}

/** Per-user default: QA_STATION_HOME, else the platform's application-data folder. */
export function defaultStationHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.QA_STATION_HOME) return path.resolve(env.QA_STATION_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'QA Station');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'QA Station');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'qa-station');
}

export function stationPaths(home: string = defaultStationHome()): StationPaths {
  const root = path.resolve(home);
  return {
    home: root,
    catalogFile: path.join(root, 'catalog.sqlite'),
    modelsDir: path.join(root, 'models'),
    backboneCacheDir: path.join(root, 'cache', 'backbones'),
    imagesDir: path.join(root, 'images'),
    logsDir: path.join(root, 'logs'),
    opcuaPkiDir: path.join(root, 'opcua', 'pki'),
  };
}

/** Whether `target` is `folder` itself or lies inside it (both resolved to absolute paths first). */
export function isWithin(target: string, folder: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(target));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
