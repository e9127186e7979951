/** Records the catalogue stores, shared by every process that shows or sends them. */

export type SampleSplit = 'train' | 'validation' | 'test';
export type SampleLabel = 'good' | 'defect';
export type SampleSource = 'import' | 'camera' | 'hot-folder' | 'synthetic' | 'dataset';
export type UserRole = 'operator' | 'supervisor';
export type ModelStatus = 'candidate' | 'active' | 'retired';
export type TrainingRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type Verdict = 'pass' | 'fail';
export type InspectionReview = 'false-reject' | 'false-accept';

export interface ProductClass {
  id: number;
  name: string;
  displayName: string;
  createdAt: string;
  archived: boolean;
}

export interface ProductClassWithCounts extends ProductClass {
  goodTrainImages: number;
}

export interface SampleImage {
  id: number;
  classId: number;
  path: string;
  sha256: string;
  split: SampleSplit;
  label: SampleLabel;
  defectType: string | null;
  maskPath: string | null;
  source: SampleSource;
  width: number | null;
  height: number | null;
  addedAt: string;
}

export interface User {
  id: number;
  name: string;
  role: UserRole;
  hasPin: boolean;
  createdAt: string;
  disabled: boolean;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

export interface ModelVersion {
  id: number;
  version: string;
  status: ModelStatus;
  createdAt: string;
  directory: string;
  backbone: string;
  textTower: string;
  config: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
  fileHashes: Record<string, string>;
  trainingRunId: number | null;
  promotedAt: string | null;
  retiredAt: string | null;
}

export type ThresholdSource = 'held-out' | 'training' | 'supervisor';

export interface ClassCalibration {
  classId: number;
  threshold: number;
  /** Where the threshold in force came from: what training measured, or a supervisor. */
  thresholdSource: ThresholdSource;
  targetFalseRejectRate: number | null;
  normalisation: Record<string, number>;
  /** A supervisor's threshold carried from an earlier model at retraining: that model and its threshold there. */
  carriedFrom?: { version: string; threshold: number } | null;
}

export interface TrainingProgress {
  phase: string;
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  etaSeconds: number | null;
  /** The step across both phases and the steps of the run; absent in runs recorded before. */
  runStep?: number;
  runSteps?: number;
}

export interface TrainingRun {
  id: number;
  status: TrainingRunStatus;
  startedAt: string | null;
  finishedAt: string | null;
  config: Record<string, unknown>;
  progress: TrainingProgress | null;
  losses: Record<string, number>[];
  error: string | null;
  startedBy: number | null;
  modelVersionId: number | null;
}

export interface DefectRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  area: number;
  peakScore: number;
  meanScore: number;
}

export interface Inspection {
  id: number;
  at: string;
  station: string;
  operatorId: number | null;
  classId: number;
  imagePath: string;
  imageSha256: string;
  score: number;
  threshold: number;
  verdict: Verdict;
  modelVersionId: number;
  anomalyMapPath: string | null;
  overlayPath: string | null;
  /** The name the image arrived with (hot-folder file, upload, camera capture). */
  fileName: string | null;
  nearestClass: string | null;
  latencyMs: number | null;
  source: SampleSource;
  classWarning: boolean;
  review: InspectionReview | null;
  regions: DefectRegion[];
  /** Set when the image files are gone and only the record is kept. */
  imagesRemoved: ImagesRemovedReason | null;
  /** The spread of the product's score scale when it ran (normalisedScore.ts); null before it was kept. */
  scoreSpread: number | null;
}

/** 'retention': pruned by the station's retention policy; 'disk-full': never written, the disk was full. */
export type ImagesRemovedReason = 'retention' | 'disk-full';
