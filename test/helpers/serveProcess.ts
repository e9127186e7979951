import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');

/**
 * `qa-station serve` in a child process (the real browser host), and the tokened URL it prints
 * once it listens; the promise fails when it exits first or stays silent for two minutes.
 */
export function spawnServe(home: string, trainingEpochs: string): { proc: ChildProcess; url: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--home', home, '--training-epochs', trainingEpochs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return { proc, url };
}
