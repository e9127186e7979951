import { BrowserWindow, dialog, ipcMain, app, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { BRIDGE_CHANNELS } from '../../shared/api/stationBridge';
import type { StationService } from '../services/stationService';
import { answerBridgeCall, answerExportReport, type BridgeSender } from './bridgeRequests';

/** The bridge's two invoke channels; the logic lives in bridgeRequests.ts. */
export function registerIpcHandlers(service: StationService): void {
  ipcMain.handle(BRIDGE_CHANNELS.call, (event, ...args: unknown[]) => answerBridgeCall(service, senderOf(event), args));
  ipcMain.handle(BRIDGE_CHANNELS.exportReport, (event, ...args: unknown[]) =>
    answerExportReport(service, senderOf(event), args, (defaultName) => chooseReportFile(event, defaultName)),
  );
}

export function unregisterIpcHandlers(): void {
  ipcMain.removeHandler(BRIDGE_CHANNELS.call);
  ipcMain.removeHandler(BRIDGE_CHANNELS.exportReport);
}

function senderOf(event: IpcMainInvokeEvent): BridgeSender {
  const frame = event.senderFrame;
  return { clientId: String(event.sender.id), frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null };
}

async function chooseReportFile(event: IpcMainInvokeEvent, defaultName: string): Promise<string | null> {
  const options = {
    title: 'Save defect report',
    defaultPath: path.join(app.getPath('documents'), defaultName),
    filters: [{ name: 'CSV report', extensions: ['csv'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
  };
  const window = BrowserWindow.fromWebContents(event.sender);
  const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return choice.canceled || !choice.filePath ? null : choice.filePath;
}
