import path from 'node:path';
import type { HotFolderStatus, InspectionResult } from '../../../shared/api/apiRecords';
import { HotFolderWatcher, REJECTED_SUBFOLDER } from '../../ingest/hotFolderWatcher';
import { readImageFile } from '../../ingest/imageDecoder';
import { DomainError, isDomainError } from '../../domainError';

export interface HotFolderEvents {
  inspected(result: InspectionResult): void;
  rejected(fileName: string, reason: string, movedTo: string | null): void;
  status(status: HotFolderStatus): void;
}

const BUSY_RETRY_MS = 250;

/** An operator as the folder's results record them. */
export interface HotFolderOperator {
  id: number;
  name: string;
}

/** What watching was started for, kept so that a restart resumes it. */
export interface HotFolderWatch {
  product: string;
  operator: HotFolderOperator | null;
}

/** The station's watched folder: one product at a time, inspected as files land. */
export class HotFolderService {
  private watcher: HotFolderWatcher | null = null;
  private product: string | null = null;
  private operator: HotFolderOperator | null = null;
  private inspected = 0;
  private rejected = 0;
  /** Set when watching could not resume after a restart. */
  private resumeProblem: string | null = null;

  constructor(
    private readonly folder: () => string | null,
    private readonly inspect: (bytes: Buffer, fileName: string, product: string, operatorId: number | null) => Promise<InspectionResult>,
    private readonly events: HotFolderEvents,
    /** Refuses a folder the watcher must not empty (hotFolderLocation.ts); returns it resolved. */
    private readonly check: (folder: string) => string = (folder) => folder,
    /** Remembers what is being watched (null: not watching) so that a restart can resume. */
    private readonly persist?: (watch: HotFolderWatch | null) => void,
  ) {}

  /** A file in the folder waits while the station is busy: it is never rejected for that. */
  private async inspectWhenFree(bytes: Buffer, fileName: string, watch: HotFolderWatch): Promise<InspectionResult> {
    for (;;) {
      try {
        return await this.inspect(bytes, fileName, watch.product, watch.operator?.id ?? null);
      } catch (error) {
        if (!isDomainError(error, 'busy')) throw error; // busy ends as the queue drains
        await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
      }
    }
  }

  status(): HotFolderStatus {
    const folder = this.watcher?.folder ?? this.folder();
    const problem = this.watcher?.currentProblem ?? this.resumeProblem;
    return {
      folder,
      product: this.product,
      operator: this.operator?.name ?? null,
      watching: this.watcher !== null,
      inspected: this.inspected,
      rejected: this.rejected,
      rejectFolder: folder ? path.join(folder, REJECTED_SUBFOLDER) : null,
      problem,
    };
  }

  /** Watches for `product`; each result is recorded for `operator` (who started watching). */
  async start(product: string, operator: HotFolderOperator | null = null): Promise<HotFolderStatus> {
    const setting = this.folder();
    if (!setting) throw new DomainError('conflict', 'No hot folder is set: a supervisor sets it under Settings');
    const folder = this.check(setting);
    await this.halt();
    const watcher = new HotFolderWatcher(folder, {
      onFile: async (file) => {
        const name = path.basename(file); // errors name the file, not where the station keeps it
        const result = await this.inspectWhenFree(await readImageFile(file, undefined, name), name, { product, operator });
        this.inspected++;
        this.events.inspected(result);
        this.events.status(this.status());
      },
      onRejected: (file, reason, movedTo) => {
        this.rejected++;
        this.events.rejected(path.basename(file), reason, movedTo);
        this.events.status(this.status());
      },
      onProblem: () => this.events.status(this.status()),
    });
    this.product = product;
    this.operator = operator;
    this.inspected = 0;
    this.rejected = 0;
    try {
      await watcher.start();
    } catch (error) {
      throw new DomainError('not-found', error instanceof Error ? error.message : String(error));
    }
    this.watcher = watcher;
    this.resumeProblem = null;
    this.persist?.({ product, operator });
    const status = this.status();
    this.events.status(status);
    return status;
  }

  /**
   * Resumes the watching that was on when the station last stopped. A failure is kept in the
   * status (and so shown) rather than thrown: the station opens either way.
   */
  async resume({ product, operator }: HotFolderWatch, modelKnowsProduct: boolean): Promise<void> {
    try {
      // Files inspected without a model for them would all go to rejected/.
      if (!modelKnowsProduct) throw new Error(`the active model cannot inspect "${product}"`);
      await this.start(product, operator);
    } catch (error) {
      this.product = product;
      this.operator = operator;
      this.resumeProblem = `Watching for ${product} did not resume after the restart: ${error instanceof Error ? error.message : String(error)}`;
      this.events.status(this.status());
    }
  }

  /** Stops watching at a user's request: a restart does not resume it. */
  async stop(): Promise<HotFolderStatus> {
    this.persist?.(null);
    this.resumeProblem = null;
    return this.halt();
  }

  /** Stops watching for now (the station closing): a restart resumes it. */
  async halt(): Promise<HotFolderStatus> {
    const watcher = this.watcher;
    this.watcher = null;
    if (watcher) {
      await watcher.stop();
      this.events.status(this.status());
    }
    return this.status();
  }
}
