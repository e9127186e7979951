import os from 'node:os';

/** The nice value training threads run at: inspections on normal threads get the cores first. */
export const TRAINING_NICENESS = 19;

/** Set to "normal" to keep training threads at normal priority (bench:inspect-training compares). */
export const TRAINING_PRIORITY_ENV = 'QA_STATION_TRAINING_PRIORITY';

/**
 * Lowers the calling thread's CPU priority, so that training yields to inspections
 * (docs/ARCHITECTURE.md, Training on every core). On Linux, setpriority with pid 0 applies to the
 * calling thread only; elsewhere it would lower the whole process, inspections included, so it is
 * left alone there. Returns whether the priority was lowered.
 */
export function lowerThisThreadsPriority(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux' || process.env[TRAINING_PRIORITY_ENV] === 'normal') return false;
  try {
    os.setPriority(TRAINING_NICENESS);
    return true;
  } catch {
    return false; // not permitted (some containers): training still runs, at normal priority
  }
}
