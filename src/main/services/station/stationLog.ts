import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createStream } from 'rotating-file-stream';
import path from 'node:path';
import type { LogEntry } from '../../../shared/api/apiRecords';

export interface StationLog {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
  /** The newest `lines` entries, oldest first. */
  tail(lines: number): LogEntry[];
  close(): Promise<void>;
}

const LOG_FILE = 'station.log';
const MAX_LOG_SIZE = '5M';
/** Rotated files kept beside the current one. */
const MAX_ROTATED_FILES = 4;
const TAIL_BYTES = 512 * 1024;

/**
 * The station's own log, in the data folder: one JSON object per line, rotated at 5 MB with four
 * older files kept (rotating-file-stream), so that what went wrong survives a restart without the
 * log growing without bound. Settings shows its tail.
 */
export function openStationLog(dir: string): StationLog {
  mkdirSync(dir, { recursive: true });
  // Classical rotation: station.log, then station.log.1 (newest) ... station.log.4.
  const stream = createStream(LOG_FILE, { path: dir, size: MAX_LOG_SIZE, rotate: MAX_ROTATED_FILES });
  stream.on('error', () => {}); // a full disk must not take the station down; the log just stops
  let closed = false;
  const write =
    (level: LogEntry['level']) =>
    (message: string, details: Record<string, unknown> = {}) => {
      if (!closed) stream.write(`${JSON.stringify({ at: new Date().toISOString(), level, message, ...details })}\n`);
    };
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    tail: (lines) => readTail(path.join(dir, LOG_FILE), lines),
    close: async () => {
      if (closed) return;
      closed = true;
      const finished = once(stream, 'finish');
      stream.end();
      await finished;
    },
  };
}

function readTail(file: string, lines: number): LogEntry[] {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return [];
  }
  const length = Math.min(size, TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString('utf8').split('\n');
  if (length < size) text.shift(); // a partial first line
  return text
    .filter((l) => l.trim().length > 0)
    .slice(-lines)
    .map(toEntry);
}

function toEntry(line: string): LogEntry {
  try {
    const { at, level, message, ...details } = JSON.parse(line) as Record<string, unknown>;
    return {
      at: String(at ?? ''),
      level: level === 'error' || level === 'warn' ? level : 'info',
      message: String(message ?? ''),
      details: JSON.stringify(details) === '{}' ? null : JSON.stringify(details),
    };
  } catch {
    return { at: '', level: 'info', message: line, details: null };
  }
}
