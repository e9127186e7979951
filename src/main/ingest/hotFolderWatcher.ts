import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import { ImageDecodeError } from './imageDecodeError';

export const INSPECTED_SUBFOLDER = 'inspected';
export const REJECTED_SUBFOLDER = 'rejected';

export interface HotFolderHandlers {
  /** Inspects one landed file; throw to have it moved to rejected/ (the error's message is the reason). */
  onFile(file: string): Promise<void>;
  onRejected(file: string, reason: string, movedTo: string | null): void;
  /** The folder went away (a message saying so) or is being watched again (null). */
  onProblem?(problem: string | null): void;
}

/** Moves a file into a subfolder of its folder without overwriting an earlier file of the same name. */
export function moveAside(file: string, subfolder: string): string {
  const dir = path.join(path.dirname(file), subfolder);
  mkdirSync(dir, { recursive: true });
  let target = path.join(dir, path.basename(file));
  if (existsSync(target)) target = path.join(dir, `${Date.now()}-${path.basename(file)}`);
  renameSync(file, target);
  return target;
}

export interface HotFolderTiming {
  /** A file is handed over once it has not changed for this long. */
  settleMs: number;
  /** After a failure that a half-written file explains, watch this long for it to grow again. */
  graceMs: number;
  pollMs: number;
  /** How often the folder itself is checked (deleted, recreated, unmounted). */
  healthMs: number;
}

export const DEFAULT_HOT_FOLDER_TIMING: HotFolderTiming = { settleMs: 400, graceMs: 3000, pollMs: 100, healthMs: 2000 };
const MAX_INCOMPLETE_RETRIES = 10;

function mayBeIncomplete(error: unknown): boolean {
  return error instanceof ImageDecodeError && (error.code === 'truncated' || error.code === 'corrupt' || error.code === 'empty-file');
}

function fileState(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'gone';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The folder's identity (device and inode), or null when it is not a folder any more. */
function folderIdentity(folder: string): string | null {
  try {
    const s = statSync(folder);
    return s.isDirectory() ? `${s.dev}:${s.ino}` : null;
  } catch {
    return null;
  }
}

/** Whether the file changes (grows, is touched) within `ms`. */
async function changesWithin(file: string, ms: number, pollMs: number): Promise<boolean> {
  const before = fileState(file);
  for (let waited = 0; waited < ms; waited += pollMs) {
    await sleep(pollMs);
    const now = fileState(file);
    if (now === 'gone') return false;
    if (now !== before) return true;
  }
  return false;
}

/** Waits until the file has not changed for `ms` (at most a minute: a file that never stops changing is tried anyway). */
async function settled(file: string, ms: number, pollMs: number): Promise<void> {
  for (let rounds = Math.ceil(60_000 / ms); rounds > 0 && (await changesWithin(file, ms, pollMs)); rounds--);
}

/**
 * Watches a line camera's drop folder: each new file is handed over once it has stopped growing,
 * one at a time, then moved to inspected/ or, when it cannot be inspected, to rejected/ so the
 * folder never fills with files that fail again and again. Files present when watching starts are
 * taken too (they landed while the station was not watching).
 */
export class HotFolderWatcher {
  private watcher: FSWatcher | null = null;
  private watchedIdentity: string | null = null;
  private health: NodeJS.Timeout | null = null;
  private checking = false;
  private problem: string | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly handlers: HotFolderHandlers,
    private readonly timing: HotFolderTiming = DEFAULT_HOT_FOLDER_TIMING,
  ) {}

  async start(): Promise<void> {
    if (!folderIdentity(this.folder)) throw new Error(`The hot folder ${this.folder} does not exist`);
    await this.watch();
    // A deleted and recreated (or unmounted and remounted) folder is a new folder: chokidar
    // would keep watching the old one and say nothing, so the folder itself is checked.
    this.health = setInterval(() => void this.checkFolder(), this.timing.healthMs);
  }

  private async watch(): Promise<void> {
    const identity = folderIdentity(this.folder);
    const watcher = chokidar.watch(this.folder, {
      depth: 0,
      ignoreInitial: false,
      awaitWriteFinish: { stabilityThreshold: this.timing.settleMs, pollInterval: this.timing.pollMs },
      // Our own subfolders, hidden files and files still being written under a temporary name.
      ignored: (p: string) =>
        p !== this.folder && (path.dirname(p) !== this.folder || /^\.|\.(partial|tmp|part|crdownload)$/i.test(path.basename(p))),
    });
    watcher.on('add', (file) => this.enqueue(file));
    await new Promise<void>((resolve, reject) => {
      watcher.once('ready', resolve);
      watcher.once('error', reject);
    });
    this.watcher = watcher;
    this.watchedIdentity = identity;
  }

  private async checkFolder(): Promise<void> {
    if (this.checking || !this.health) return;
    this.checking = true;
    try {
      const identity = folderIdentity(this.folder);
      if (identity) this.rejectDanglingLinks();
      if (identity === this.watchedIdentity && this.watcher) return;
      await this.closeWatcher();
      if (!identity) {
        this.report(`The hot folder ${this.folder} is gone (deleted, renamed or unmounted): watching resumes when it is back`);
        return;
      }
      await this.watch();
      if (!this.health) return this.closeWatcher(); // stopped meanwhile
      this.report(null);
    } catch (error) {
      this.report(`The hot folder ${this.folder} cannot be watched: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.checking = false;
    }
  }

  /** chokidar passes over a link to nothing in silence: such a link is moved aside and reported. */
  private rejectDanglingLinks(): void {
    for (const entry of readdirSync(this.folder, { withFileTypes: true })) {
      const full = path.join(this.folder, entry.name);
      if (!entry.isSymbolicLink() || existsSync(full)) continue;
      let movedTo: string | null = null;
      try {
        movedTo = moveAside(full, REJECTED_SUBFOLDER);
      } catch {
        movedTo = null;
      }
      this.handlers.onRejected(full, 'a link to a file that does not exist', movedTo);
    }
  }

  private report(problem: string | null): void {
    if (problem === this.problem) return;
    this.problem = problem;
    this.handlers.onProblem?.(problem);
  }

  /** Why files are not being picked up right now, or null. */
  get currentProblem(): string | null {
    return this.problem;
  }

  private enqueue(file: string): void {
    this.queue = this.queue.then(() => this.process(file));
  }

  private async process(file: string, attempt = 0): Promise<void> {
    if (!existsSync(file)) return;
    try {
      await this.handlers.onFile(file);
      moveAside(file, INSPECTED_SUBFOLDER);
    } catch (error) {
      // A writer that pauses longer than the stability wait hands over half a file: if it grows
      // again within the grace period, wait for it to settle and try again instead of rejecting.
      if (
        attempt < MAX_INCOMPLETE_RETRIES &&
        mayBeIncomplete(error) &&
        (await changesWithin(file, this.timing.graceMs, this.timing.pollMs))
      ) {
        await settled(file, this.timing.settleMs, this.timing.pollMs);
        return this.process(file, attempt + 1);
      }
      const reason = error instanceof Error ? error.message : String(error);
      let movedTo: string | null = null;
      try {
        movedTo = moveAside(file, REJECTED_SUBFOLDER);
      } catch {
        movedTo = null; // the file vanished or is locked: report it, keep watching
      }
      this.handlers.onRejected(file, reason, movedTo);
    }
  }

  private async closeWatcher(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
  }

  /** Stops watching after the file in progress. */
  async stop(): Promise<void> {
    if (this.health) clearInterval(this.health);
    this.health = null;
    await this.closeWatcher();
    await this.queue;
  }

  /** Picking up files now (false while the folder is gone). */
  get watching(): boolean {
    return this.watcher !== null;
  }
}
