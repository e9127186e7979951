import path from 'node:path';
import { ApiError } from '../../../shared/api/apiErrors';
import type { HotFolderStatus, InspectionResult } from '../../../shared/api/apiRecords';
import { HotFolderWatcher, REJECTED_SUBFOLDER } from '../../ingest/hotFolderWatcher';
import { readImageFile } from '../../ingest/imageDecoder';

export interface HotFolderEvents {
  inspected(result: InspectionResult): void;
  rejected(fileName: string, reason: string, movedTo: string | null): void;
  status(status: HotFolderStatus): void;
}

/** The station's watched folder: one product at a time, inspected as files land. */
export class HotFolderService {
  private watcher: HotFolderWatcher | null = null;
  private product: string | null = null;
  private inspected = 0;
  private rejected = 0;

  constructor(
    private readonly folder: () => string | null,
    private readonly inspect: (bytes: Buffer, fileName: string, product: string) => Promise<InspectionResult>,
    private readonly events: HotFolderEvents,
    /** Refuses a folder the watcher must not empty (hotFolderLocation.ts); returns it resolved. */
    private readonly check: (folder: string) => string = (folder) => folder,
  ) {}

  status(): HotFolderStatus {
    const folder = this.watcher?.folder ?? this.folder();
    return { folder, product: this.product, watching: this.watcher !== null, inspected: this.inspected, rejected: this.rejected, rejectFolder: folder ? path.join(folder, REJECTED_SUBFOLDER) : null };
  }

  async start(product: string): Promise<HotFolderStatus> {
    const setting = this.folder();
    if (!setting) throw new ApiError('conflict', 'No hot folder is set: a supervisor sets it under Settings');
    const folder = this.check(setting);
    await this.stop();
    const watcher = new HotFolderWatcher(folder, {
      onFile: async (file) => {
        const result = await this.inspect(await readImageFile(file), path.basename(file), product);
        this.inspected++;
        this.events.inspected(result);
        this.events.status(this.status());
      },
      onRejected: (file, reason, movedTo) => {
        this.rejected++;
        this.events.rejected(path.basename(file), reason, movedTo);
        this.events.status(this.status());
      },
    });
    this.product = product;
    this.inspected = 0;
    this.rejected = 0;
    try {
      await watcher.start();
    } catch (error) {
      throw new ApiError('not-found', error instanceof Error ? error.message : String(error));
    }
    this.watcher = watcher;
    const status = this.status();
    this.events.status(status);
    return status;
  }

  async stop(): Promise<HotFolderStatus> {
    const watcher = this.watcher;
    this.watcher = null;
    if (watcher) {
      await watcher.stop();
      this.events.status(this.status());
    }
    return this.status();
  }
}
