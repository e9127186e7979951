import { z } from 'zod';
import type { ApiResult } from '../../shared/api/apiErrors';
import { reportFilterSchema } from '../../shared/api/apiRecords';
import type { StationService } from '../services/stationService';
import { isAppUrl } from './appOrigin';
import { defaultReportName, exportReportToFile } from './reportExport';

/**
 * What the IPC handlers do, without Electron: check who is calling, validate the arguments, call
 * the service, and always answer with the ApiResult envelope (nothing is thrown across IPC).
 */

/** Who sent an IPC message: its window (the UI connection) and the frame it came from. */
export interface BridgeSender {
  clientId: string;
  frameUrl: string | null;
  isMainFrame: boolean;
}

const callArgsSchema = z.tuple([z.string().min(1).max(100), z.unknown()]);
const exportArgsSchema = z.tuple([reportFilterSchema]);

export async function answerBridgeCall(
  service: Pick<StationService, 'dispatch'>,
  sender: BridgeSender,
  args: unknown[],
): Promise<ApiResult<unknown>> {
  const refused = refuseForeignSender(sender);
  if (refused) return refused;
  const parsed = callArgsSchema.safeParse(args);
  if (!parsed.success) return invalidRequest('A call needs a method name and its input.');
  const [method, input] = parsed.data;
  try {
    return await service.dispatch(sender.clientId, method, input);
  } catch (error) {
    return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * Asks where to save (`chooseFile` resolves null when the person cancels) and writes the report
 * there. The filter is checked before the dialog opens, so a bad one never asks for a file.
 */
export async function answerExportReport(
  service: Pick<StationService, 'writeReport'>,
  sender: BridgeSender,
  args: unknown[],
  chooseFile: (defaultName: string) => Promise<string | null>,
): Promise<ApiResult<{ savedTo: string | null }>> {
  const refused = refuseForeignSender(sender);
  if (refused) return refused;
  const parsed = exportArgsSchema.safeParse(args);
  if (!parsed.success) return invalidRequest(`The report filter is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  let target: string | null;
  try {
    target = await chooseFile(defaultReportName());
  } catch (error) {
    return {
      ok: false,
      error: { code: 'internal', message: `The save dialog failed: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
  if (target === null) return { ok: true, value: { savedTo: null } };
  return exportReportToFile(service, parsed.data[0], target);
}

/** Only the app's own top-level page may call: never a subframe or a page that navigated away. */
function refuseForeignSender(sender: BridgeSender): ApiResult<never> | null {
  if (sender.isMainFrame && isAppUrl(sender.frameUrl)) return null;
  return { ok: false, error: { code: 'not-authorised', message: 'Calls are only accepted from the station page.' } };
}

function invalidRequest(message: string): ApiResult<never> {
  return { ok: false, error: { code: 'invalid-request', message } };
}
