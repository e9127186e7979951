import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';

export const INSPECTED_SUBFOLDER = 'inspected';
export const REJECTED_SUBFOLDER = 'rejected';

export interface HotFolderHandlers {
  /** Inspects one landed file; throw to have it moved to rejected/ (the error's message is the reason). */
  onFile(file: string): Promise<void>;
  onRejected(file: string, reason: string, movedTo: string | null): void;
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

/**
 * Watches a line camera's drop folder: each new file is handed over once it has stopped growing,
 * one at a time, then moved to inspected/ or, when it cannot be inspected, to rejected/ so the
 * folder never fills with files that fail again and again. Files present when watching starts are
 * taken too (they landed while the station was not watching).
 */
export class HotFolderWatcher {
  private watcher: FSWatcher | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly handlers: HotFolderHandlers,
  ) {}

  async start(): Promise<void> {
    if (!existsSync(this.folder)) throw new Error(`The hot folder ${this.folder} does not exist`);
    const watcher = chokidar.watch(this.folder, {
      depth: 0,
      ignoreInitial: false,
      awaitWriteFinish: { stabilityThreshold: 400, pollInterval: 100 },
      // Our own subfolders, hidden files and files still being written under a temporary name.
      ignored: (p: string) => p !== this.folder && (path.dirname(p) !== this.folder || /^\.|\.(partial|tmp|part|crdownload)$/i.test(path.basename(p))),
    });
    watcher.on('add', (file) => this.enqueue(file));
    await new Promise<void>((resolve, reject) => {
      watcher.once('ready', resolve);
      watcher.once('error', reject);
    });
    this.watcher = watcher;
  }

  private enqueue(file: string): void {
    this.queue = this.queue.then(() => this.process(file));
  }

  private async process(file: string): Promise<void> {
    if (!existsSync(file)) return;
    try {
      await this.handlers.onFile(file);
      moveAside(file, INSPECTED_SUBFOLDER);
    } catch (error) {
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

  /** Stops watching after the file in progress. */
  async stop(): Promise<void> {
    await this.watcher?.close();
    this.watcher = null;
    await this.queue;
  }

  get watching(): boolean {
    return this.watcher !== null;
  }
}
