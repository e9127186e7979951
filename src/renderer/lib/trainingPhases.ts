/** What each training phase learns, in the words the Retrain screen uses for it. */
export const PHASE_LABELS: Record<'phase1' | 'phase2', string> = {
  phase1: 'phase 1: product names',
  phase2: 'phase 2: defects',
};

/** The phase as people read it; after the last step, the run is calibrating (thresholds, statistics) before it ends. */
export function phaseText(status: { state: string; phase: string | null; runStep: number; runSteps: number } | undefined): string {
  if (!status?.phase) return '—';
  if (status.state === 'succeeded') return 'done';
  if (status.state === 'running' && status.runSteps > 0 && status.runStep >= status.runSteps) return 'finishing: setting thresholds';
  return PHASE_LABELS[status.phase as 'phase1' | 'phase2'] ?? status.phase;
}
