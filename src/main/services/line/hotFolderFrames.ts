import type { InspectionResult } from '../../../shared/api/apiRecords';
import { LineError } from './lineErrors';

interface Waiter {
  resolve(result: InspectionResult): void;
  reject(error: LineError): void;
}

/**
 * Line triggers answered by the hot folder: a camera that writes its images to a folder. A trigger
 * takes the result of the next complete image the folder brings after it (the folder inspects
 * every image; the trigger reports the one that arrived for it), or fails after the timeout.
 */
export class HotFolderFrames {
  private readonly waiters: Waiter[] = [];

  constructor(private readonly watching: () => { product: string } | null) {}

  problem(product: string): string | null {
    const watch = this.watching();
    if (!watch) return 'The hot folder is not watched: start it on Inspect > Hot folder, or choose the Inspect screen as the frame source';
    if (watch.product !== product) return `The hot folder watches "${watch.product}" while the line selected "${product}"`;
    return null;
  }

  /** The next hot-folder result after now. */
  next(timeoutMs: number): Promise<InspectionResult> {
    return new Promise<InspectionResult>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new LineError('frameTimeout', `No image came into the hot folder within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The hot folder recorded a result: it answers the oldest waiting trigger. */
  inspected(result: InspectionResult): void {
    this.waiters.shift()?.resolve(result);
  }

  /** The hot folder set a file aside (not an image, unreadable): the oldest waiting trigger fails with why. */
  rejected(fileName: string, reason: string): void {
    // The hot folder's reason names the file already.
    const words = reason.startsWith(fileName) ? reason : `${fileName}: ${reason}`;
    this.waiters.shift()?.reject(new LineError('imageRefused', `Not inspected: ${words}`));
  }
}
