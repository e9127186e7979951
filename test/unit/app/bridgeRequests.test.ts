import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../src/shared/api/apiErrors';
import { answerBridgeCall, answerExportReport, type BridgeSender } from '../../../src/main/app/bridgeRequests';
import { defaultReportName } from '../../../src/main/app/reportExport';

const page: BridgeSender = { clientId: '4', frameUrl: 'station-app://ui/index.html', isMainFrame: true };
const filter = { from: null, to: null, product: null, verdict: null };

function recordingService() {
  const calls: unknown[][] = [];
  return {
    calls,
    async dispatch(clientId: string, method: unknown, input: unknown): Promise<ApiResult<unknown>> {
      calls.push([clientId, method, input]);
      return { ok: true, value: 'answer' };
    },
  };
}

describe('IPC calls', () => {
  it('passes the window as client id, the method and the input to the service', async () => {
    const service = recordingService();
    expect(await answerBridgeCall(service, page, ['products.list', {}])).toEqual({ ok: true, value: 'answer' });
    expect(service.calls).toEqual([['4', 'products.list', {}]]);
  });

  it('refuses subframes, other pages and frames that are gone', async () => {
    const service = recordingService();
    for (const sender of [
      { ...page, isMainFrame: false },
      { ...page, frameUrl: 'https://example.com/' },
      { ...page, frameUrl: 'file:///home/x/index.html' },
      { ...page, frameUrl: null },
    ]) {
      expect(await answerBridgeCall(service, sender, ['products.list', {}])).toMatchObject({
        ok: false,
        error: { code: 'not-authorised' },
      });
    }
    expect(service.calls).toEqual([]);
  });

  it('answers malformed arguments and service failures with the envelope', async () => {
    const service = recordingService();
    expect(await answerBridgeCall(service, page, [42, {}])).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await answerBridgeCall(service, page, [])).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const throwing = { dispatch: async () => Promise.reject(new Error('boom')) };
    expect(await answerBridgeCall(throwing, page, ['products.list', {}])).toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom' },
    });
  });
});

describe('report export', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const fresh = () => (dir = mkdtempSync(path.join(os.tmpdir(), 'qa-report-')));

  const writing = (lines: string[], result: ApiResult<{ rows: number }> = { ok: true, value: { rows: lines.length } }, endIt = true) => ({
    async writeReport(_filter: unknown, out: Writable) {
      for (const line of lines) out.write(line);
      if (endIt) out.end();
      return result;
    },
  });

  it('suggests a dated name', () => {
    expect(defaultReportName(new Date(2026, 2, 4, 23, 59))).toBe('qa-report-2026-03-04.csv');
  });

  it('writes the chosen file through a temporary name', async () => {
    const target = path.join(fresh(), 'report.csv');
    let suggested = '';
    const result = await answerExportReport(writing(['a,b\n', '1,2\n'], undefined, false), page, [filter], async (name) => {
      suggested = name;
      return target;
    });
    expect(result).toEqual({ ok: true, value: { savedTo: target } });
    expect(suggested).toMatch(/^qa-report-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(readFileSync(target, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(dir)).toEqual(['report.csv']);
  });

  it('leaves nothing behind when the report fails', async () => {
    const target = path.join(fresh(), 'report.csv');
    const failed: ApiResult<{ rows: number }> = { ok: false, error: { code: 'internal', message: 'worker died' } };
    expect(await answerExportReport(writing(['a,b\n'], failed), page, [filter], async () => target)).toEqual(failed);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a folder that cannot be written', async () => {
    const target = path.join(fresh(), 'missing-folder', 'report.csv');
    const result = await answerExportReport(writing(['a\n']), page, [filter], async () => target);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('does nothing when the dialog is cancelled, and checks the filter before asking', async () => {
    let asked = 0;
    const choose = async () => {
      asked += 1;
      return null;
    };
    expect(await answerExportReport(writing([]), page, [filter], choose)).toEqual({ ok: true, value: { savedTo: null } });
    expect(await answerExportReport(writing([]), page, [{ from: 'yesterday' }], choose)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await answerExportReport(writing([]), { ...page, frameUrl: 'https://evil.test/' }, [filter], choose)).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });
    expect(asked).toBe(1);
  });
});
