import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What sits next to a cached graph: enough to detect a partial or foreign file. */
interface CacheRecord {
  key: string;
  sha256: string;
  bytes: number;
  createdAt: string;
  description: string;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Generated ONNX graphs are cached under `dir` by a content key (source weights + converter
 * version + taps). A file whose hash does not match its record (a process killed mid-write, disk
 * damage) is regenerated rather than trusted.
 */
export class OnnxGraphCache {
  constructor(private readonly dir: string) {}

  pathFor(name: string, key: string): string {
    return path.join(this.dir, `${name}-${key.slice(0, 16)}.onnx`);
  }

  /** Returns the cached graph's path, generating and storing it first when needed. */
  async getOrCreate(
    name: string,
    key: string,
    description: string,
    generate: () => Promise<Uint8Array>,
  ): Promise<{ file: string; generated: boolean }> {
    const file = this.pathFor(name, key);
    if (this.isValid(file, key)) return { file, generated: false };
    const bytes = await generate();
    mkdirSync(this.dir, { recursive: true });
    const record: CacheRecord = {
      key,
      sha256: sha256Hex(bytes),
      bytes: bytes.byteLength,
      createdAt: new Date().toISOString(),
      description,
    };
    writeAtomically(file, bytes);
    writeAtomically(`${file}.json`, JSON.stringify(record, null, 2));
    return { file, generated: true };
  }

  isValid(file: string, key: string): boolean {
    if (!existsSync(file) || !existsSync(`${file}.json`)) return false;
    try {
      const record = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as CacheRecord;
      return record.key === key && record.sha256 === sha256Hex(readFileSync(file));
    } catch {
      return false;
    }
  }
}

function writeAtomically(file: string, data: Uint8Array | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}
