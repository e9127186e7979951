import { z } from 'zod';

/** Records the API returns: plain data, the same over IPC and over the browser host. */

export const verdictSchema = z.enum(['pass', 'fail']);
export const reviewSchema = z.enum(['false-reject', 'false-accept']);
export const inspectionSourceSchema = z.enum(['camera', 'hot-folder', 'import']);
export const userRoleSchema = z.enum(['operator', 'supervisor']);

/**
 * An image the renderer may show, named by what it is, never by a path: the main side resolves it
 * inside the station's folders. Turned into a URL by the bridge (`imageUrl`).
 */
export const imageRefSchema = z.string().regex(/^(inspection\/\d+\/(image|overlay|map)|sample\/\d+)$/, 'Not an image reference');
export type ImageRef = z.infer<typeof imageRefSchema>;

export const defectRegionSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
  area: z.number(),
  peakScore: z.number(),
  meanScore: z.number(),
});

export const sessionSchema = z.object({
  /** The operator recorded with inspections (chosen at the station, no PIN). */
  operator: z.string().nullable(),
  /** A supervisor unlocked with a PIN, until `expiresAt` (ISO 8601). */
  supervisor: z.object({ name: z.string(), expiresAt: z.string() }).nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

/** The execution provider the station's onnxruntime sessions (backbone, heads, packs) run on. */
export const onnxExecutionInfoSchema = z.object({
  /** cpu, cuda, dml, coreml or webgpu. */
  provider: z.string(),
  /** Why better providers are not in use, one phrase each (e.g. "cuda not installed", "dml failed: ..."). */
  fallbacks: z.array(z.string()),
});
export type OnnxExecutionInfo = z.infer<typeof onnxExecutionInfoSchema>;

export const runtimeInfoSchema = z.object({
  /** tfjs backend in use for the learned heads and training (e.g. "wasm (simd)"). */
  tfjsBackend: z.string(),
  /** Backbone runtime and its execution provider (e.g. "onnxruntime-node 1.30.0 cpu (cuda not installed)"). */
  featureRuntime: z.string(),
  onnx: onnxExecutionInfoSchema,
  cores: z.number().int(),
});

export const modelClassSchema = z.object({
  product: z.string(),
  threshold: z.number(),
  targetFalseRejectRate: z.number(),
  thresholdSource: z.enum(['held-out', 'training', 'supervisor']),
  /** A supervisor's threshold carried here at retraining: the model it was set on and its value there. */
  carriedFrom: z.object({ version: z.string(), threshold: z.number() }).nullable(),
  /** Held-out good-image scores behind the threshold: the supervisor's histogram. */
  goodScores: z.array(z.number()),
  /**
   * Raw scores of defective parts this model inspected as this product: reviewed false accepts,
   * and failed parts not reviewed as false rejects; shown beside the good scores.
   */
  defectScores: z.array(z.object({ score: z.number(), kind: z.enum(['false-accept', 'failed']) })),
  /** Fraction of those good scores above the threshold: in-sample, so it flatters (0% whenever the threshold is above them all). */
  falseRejectRate: z.number(),
  /**
   * Up to how often a new good part may fail at the threshold (falseRejectRate.ts,
   * newPartFalseRejectBound); null when the scores include training images, which say nothing about new parts.
   */
  newPartFalseRejectBound: z.number().nullable(),
  nTrain: z.number().int(),
  nHeldOut: z.number().int(),
});

/** One model on one product's labelled defects and its held-out good scores, at the threshold in force. */
export const validationStatsSchema = z.object({
  threshold: z.number(),
  /** Where the good scores came from: held-out images, or (too few of those) pooled with training images, which flatter. */
  goodFrom: z.enum(['held-out', 'training']),
  /** Image AUROC of the defects against the good scores; null without both. */
  imageAuroc: z.number().nullable(),
  falseRejectRate: z.number().nullable(),
  escapeRate: z.number().nullable(),
  confusion: z.object({
    goodPassed: z.number().int(),
    goodFailed: z.number().int(),
    defectPassed: z.number().int(),
    defectFailed: z.number().int(),
  }),
  /** Defect images that could not be scored, with why. */
  unreadable: z.array(z.object({ fileName: z.string(), reason: z.string() })),
  /** The raw score of each labelled defect that was scored (the threshold chart shows them). */
  defectScores: z.array(z.number()),
});
export type ValidationStats = z.infer<typeof validationStatsSchema>;

export const modelValidationSchema = z.object({
  version: z.string(),
  /** The active model it is set beside, when there is one and it is another. */
  against: z.string().nullable(),
  products: z.array(
    z.object({
      product: z.string(),
      defects: z.number().int(),
      candidate: validationStatsSchema,
      active: validationStatsSchema.nullable(),
    }),
  ),
});
export type ModelValidation = z.infer<typeof modelValidationSchema>;

export const modelSummarySchema = z.object({
  version: z.string(),
  status: z.enum(['candidate', 'active', 'retired']),
  createdAt: z.string(),
  promotedAt: z.string().nullable(),
  backbone: z.string(),
  textTower: z.string(),
  preset: z.string().nullable(),
  trainSeconds: z.number().nullable(),
  classes: z.array(modelClassSchema),
});
export type ModelSummary = z.infer<typeof modelSummarySchema>;

export const stationInfoSchema = z.object({
  appVersion: z.string(),
  stationName: z.string(),
  dataFolder: z.string(),
  runtime: runtimeInfoSchema,
  activeModel: z.string().nullable(),
  session: sessionSchema,
  /** 'electron' or 'browser-host': what serves this UI. */
  shell: z.enum(['electron', 'browser-host']),
  /** No supervisor exists yet: the UI offers to create the first one (setup.firstSupervisor). */
  needsSetup: z.boolean(),
});
export type StationInfo = z.infer<typeof stationInfoSchema>;

export const productSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  displayName: z.string(),
  goodImages: z.number().int(),
  /** Images of defective parts kept to validate models (imported as defective parts, or added from History); never trained on. */
  labelledDefects: z.number().int(),
  /** Few good images compared with the best-covered product: the long tail. */
  tail: z.boolean(),
  /** Whether the active model knows this product (else it needs a retrain to be inspected). */
  inActiveModel: z.boolean(),
  /** Good images the active model never learnt: added after its training began (all of them where it lacks the product). */
  untrainedGoodImages: z.number().int(),
});
export type ProductSummary = z.infer<typeof productSummarySchema>;

export const inspectionResultSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  product: z.string(),
  fileName: z.string(),
  source: inspectionSourceSchema,
  verdict: verdictSchema,
  /** The raw image score and threshold, on the model's own scale (for engineers). */
  score: z.number(),
  threshold: z.number(),
  /**
   * The score people read: the threshold at 0.5 (src/shared/normalisedScore.ts), from the scale the
   * inspection ran on; null for inspections recorded before it was kept.
   */
  normalisedScore: z.number().nullable(),
  /** The other half of that scale (with `threshold`, normalisedScore.ts), to normalise region scores alike. */
  scoreSpread: z.number().nullable(),
  modelVersion: z.string(),
  operator: z.string().nullable(),
  regions: z.array(defectRegionSchema),
  /** The image does not look like the selected product (nearest prototype is another product). */
  classWarning: z.boolean(),
  nearestProduct: z.string().nullable(),
  latencyMs: z.number().nullable(),
  review: reviewSchema.nullable(),
  /** Null when the images are gone and only the record is kept (see imagesNote). */
  image: imageRefSchema.nullable(),
  overlay: imageRefSchema.nullable(),
  map: imageRefSchema.nullable(),
  /** Why there are no images: pruned by retention, or not kept because the disk was full. */
  imagesNote: z.string().nullable(),
});
export type InspectionResult = z.infer<typeof inspectionResultSchema>;

export const importReportSchema = z.object({
  added: z.number().int(),
  duplicates: z.array(z.string()),
  rejected: z.array(z.object({ fileName: z.string(), reason: z.string() })),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const trainingStatusSchema = z.object({
  runId: z.number().int().nullable(),
  state: z.enum(['idle', 'running', 'succeeded', 'failed', 'cancelled']),
  phase: z.string().nullable(),
  epoch: z.number().int(),
  epochs: z.number().int(),
  step: z.number().int(),
  steps: z.number().int(),
  /** The step across both phases and the steps of the whole run (the progress bar and the step shown). */
  runStep: z.number().int(),
  runSteps: z.number().int(),
  /** Until the last training step of the run (calibration after it is not counted). */
  etaSeconds: z.number().nullable(),
  /**
   * Loss history (total, recon, kl, align, rec, sem...) at a bounded number of points over the
   * whole run: the step counts across both phases; the phase is null for runs restored from the
   * catalogue, which does not record it per step.
   */
  losses: z.array(
    z.object({ phase: z.enum(['phase1', 'phase2']).nullable(), step: z.number().int(), values: z.record(z.string(), z.number()) }),
  ),
  modelVersion: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
});
export type TrainingStatus = z.infer<typeof trainingStatusSchema>;

export const hotFolderStatusSchema = z.object({
  folder: z.string().nullable(),
  product: z.string().nullable(),
  /** Who the folder's results are recorded for: the operator selected where watching was started, or null. */
  operator: z.string().nullable(),
  watching: z.boolean(),
  inspected: z.number().int(),
  rejected: z.number().int(),
  /** Where unreadable or non-image files are moved. */
  rejectFolder: z.string().nullable(),
  /** Why files are not being picked up although watching was asked for (folder gone, not resumed after a restart), or null. */
  problem: z.string().nullable(),
});
export type HotFolderStatus = z.infer<typeof hotFolderStatusSchema>;

/** One line of the station log (Settings, Station log). */
export const logEntrySchema = z.object({
  at: z.string(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  /** Extra fields as JSON, or null. */
  details: z.string().nullable(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

/** What is wrong with an MQTT broker address, said for the address at hand. */
function checkBrokerAddress(address: string, context: z.RefinementCtx): void {
  const example = 'such as mqtt://broker.local:1883';
  const problem = !/^(mqtts?|wss?):\/\//.test(address)
    ? `an address that starts with mqtt://, mqtts://, ws:// or wss:// (${example})`
    : /\s/.test(address)
      ? 'an address without spaces'
      : /^[a-z]+:\/\/[^/]*@/.test(address)
        ? 'an address without a user name or password: the station does not keep them in its settings'
        : !/^[a-z]+:\/\/([^\s/@:[\]]+|\[[0-9a-fA-F:.]+\])(:\d{1,5})?(\/\S*)?$/.test(address)
          ? `a host name (or [IPv6 address]) and an optional port number (${example})`
          : Number(/^[a-z]+:\/\/(?:[^/]*\]|[^/:]*):(\d+)/.exec(address)?.[1] ?? 1) > 65535
            ? 'a port number from 1 to 65535'
            : null;
  if (problem) context.addIssue({ code: 'custom', message: problem });
}

/** none: plain connections; sign / sign-and-encrypt: Basic256Sha256 with the station's own certificate. */
export const opcuaSecuritySchema = z.enum(['none', 'sign', 'sign-and-encrypt']);
export type OpcuaSecurity = z.infer<typeof opcuaSecuritySchema>;
export const lineFrameSourceSchema = z.enum(['inspect-screen', 'hot-folder']);
export type LineFrameSource = z.infer<typeof lineFrameSourceSchema>;

export const settingsSchema = z.object({
  stationName: z.string().trim().min(1).max(64),
  hotFolder: z.string().max(1024).nullable(),
  cameraDeviceId: z.string().max(256).nullable(),
  captureIntervalSeconds: z.number().min(0).max(3600),
  targetFalseRejectRate: z.number().min(0).max(0.5),
  /** Inspection images older than this many days are pruned (records are kept); null keeps them. */
  retentionDays: z.number().int().min(1).max(36500).nullable(),
  /** Inspection images beyond this many GB are pruned, oldest first; null: no size limit. */
  retentionMaxGb: z.number().min(0.1).max(100000).nullable(),
  /** The MQTT broker results are published to (mqtt://, mqtts://, ws://, wss://); null: off. */
  mqttUrl: z.string().trim().max(512).superRefine(checkBrokerAddress).nullable(),
  /** The topic each result is published to. */
  mqttTopic: z
    .string()
    .trim()
    .min(1)
    .max(256)
    .regex(/^[^#+]+$/, 'a topic without the wildcards # and +'),
  /** The OPC UA server for the line's PLC (docs/line-integration.md); off by default. */
  opcuaEnabled: z.boolean(),
  opcuaPort: z.number().int().min(1024, 'a port from 1024 to 65535').max(65535, 'a port from 1024 to 65535'),
  /** What the server's endpoints require of a client's connection. */
  opcuaSecurity: opcuaSecuritySchema,
  /** Clients without a user name may connect (off unless a supervisor chooses it). */
  opcuaAnonymous: z.boolean(),
  /** The user name a PLC connects with (its password is set apart and kept only as a salted hash); null: none. */
  opcuaUser: z
    .string()
    .trim()
    .regex(/^[\w.@-]{1,64}$/, 'a user name of letters, digits and . _ @ - (at most 64)')
    .nullable(),
  /** Where a line trigger's image comes from: the camera on an open Inspect screen, or the hot folder's next image. */
  lineFrameSource: lineFrameSourceSchema,
  /** How long a trigger waits for its image before it answers with an error. */
  lineFrameTimeoutSeconds: z.number().min(0.2).max(60),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Where the station's results stand with the MQTT broker (docs/line-integration.md). */
export const mqttStatusSchema = z.object({
  enabled: z.boolean(),
  connected: z.boolean(),
  backlog: z.number().int(),
  sent: z.number().int(),
  undelivered: z.number().int(),
  lastError: z.string().nullable(),
});
export type MqttStatus = z.infer<typeof mqttStatusSchema>;

/** The handshake's outputs as the PLC reads them (docs/line-integration.md, the state machine). */
export const lineHandshakeSchema = z.object({
  ready: z.boolean(),
  /** Why Ready is false while idle (no model, no product, no frame source), or ''. */
  readyProblem: z.string(),
  busy: z.boolean(),
  resultReady: z.boolean(),
  pass: z.boolean(),
  fail: z.boolean(),
  /** The trigger ended without a verdict: errorCode and lastError say why (the part was not judged). */
  error: z.boolean(),
  /** The normalised score of the last result (threshold 0.5), -1 before the first. */
  score: z.number(),
  threshold: z.number(),
  rawScore: z.number(),
  rawThreshold: z.number(),
  product: z.string(),
  modelVersion: z.string(),
  /** Results since the station started (verdicts and errors): a PLC that missed ResultReady sees it move. */
  resultCounter: z.number().int(),
  /** The catalogue id of the last result (History, reports, the MQTT message's id); 0 when none. */
  inspectionId: z.number().int(),
  errorCode: z.number().int(),
  lastError: z.string(),
  triggerToResultMs: z.number(),
});
export type LineHandshake = z.infer<typeof lineHandshakeSchema>;

/** The OPC UA server and the trigger handshake, for the Settings panel (and line.opcuaStatus). */
export const opcuaStatusSchema = z.object({
  enabled: z.boolean(),
  /** Listening for clients: opc.tcp://host:port, or null. */
  endpoint: z.string().nullable(),
  /** Why the server is not listening although enabled (port taken, no way to log in), or null. */
  problem: z.string().nullable(),
  passwordSet: z.boolean(),
  sessions: z.number().int(),
  frameSource: lineFrameSourceSchema,
  handshake: lineHandshakeSchema,
  triggers: z.number().int(),
  /** Triggers answered Busy or "not acknowledged" without starting (the queue never grows). */
  refused: z.number().int(),
  /** Trigger to ResultReady over the last triggers (up to 1,000), or null before the first. */
  p50TriggerToResultMs: z.number().nullable(),
  p99TriggerToResultMs: z.number().nullable(),
});
export type OpcuaStatus = z.infer<typeof opcuaStatusSchema>;

export const userSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: userRoleSchema,
  hasPin: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
});

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const reportFilterSchema = z.object({
  from: z.iso.datetime({ offset: true }).nullable(),
  to: z.iso.datetime({ offset: true }).nullable(),
  product: z.string().nullable(),
  verdict: verdictSchema.nullable(),
});
export type ReportFilter = z.infer<typeof reportFilterSchema>;

/** What the Reports screen charts (dates and product of a ReportFilter; both verdicts count). */
export const reportSummarySchema = z.object({
  /** Per local day of the station, oldest first. */
  days: z.array(z.object({ day: z.string(), inspected: z.number().int(), failed: z.number().int() })),
  /** Failed parts per product and reason, most first. */
  failures: z.array(
    z.object({ product: z.string(), reason: z.enum(['defect', 'wrong-product', 'false-reject']), failed: z.number().int() }),
  ),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;
