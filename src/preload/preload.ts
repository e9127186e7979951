import { contextBridge, ipcRenderer } from 'electron';
import { createIpcStationBridge } from './ipcStationBridge';

// Sandboxed preload: bundled into dist/preload/preload.js by scripts/buildPreload.mjs, since a
// sandboxed preload can require nothing but 'electron'.
contextBridge.exposeInMainWorld('station', createIpcStationBridge(ipcRenderer));
