import { z } from 'zod';
import { isAcceptablePin, PIN_RULE } from '../pinRule';
import { productNameSchema } from '../productNameRule';
import { trainingPresetSchema } from '../training';
import {
  auditEntrySchema,
  hotFolderStatusSchema,
  logEntrySchema,
  importReportSchema,
  inspectionResultSchema,
  inspectionSourceSchema,
  modelSummarySchema,
  productSummarySchema,
  reportFilterSchema,
  reportSummarySchema,
  modelValidationSchema,
  mqttStatusSchema,
  opcuaStatusSchema,
  reviewSchema,
  sessionSchema,
  settingsSchema,
  stationInfoSchema,
  trainingStatusSchema,
  userRoleSchema,
  userSummarySchema,
  verdictSchema,
} from './apiRecords';

/** Images travel as base64; this caps one image (the decoder has its own pixel limits). */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;
/** Image bytes in one products.importImages call (the UI sends batches under this). */
export const MAX_IMPORT_REQUEST_BYTES = 64 * 1024 * 1024;
const base64Image = z
  .string()
  .min(1, 'The image is empty')
  .max(Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 4, 'The image is larger than 40 MB')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Image data must be base64');
const fileName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((n) => !/[\\/\0]/.test(n), 'A file name, not a path');
const lineRequestId = z.string().regex(/^[\w-]{1,64}$/, 'a request id from a line.frameRequest event');
const pin = z.string().max(128).refine(isAcceptablePin, PIN_RULE);
const userName = z.string().trim().min(1).max(64);
const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

/** Who may call a method: anyone at the station, or a supervisor unlocked with a PIN. */
export type Access = 'operator' | 'supervisor';

function method<I extends z.ZodType, O extends z.ZodType>(access: Access, input: I, output: O) {
  return { access, input, output };
}

/**
 * The station's API: the single contract of the IPC handlers, the preload bridge, the browser host
 * and the renderer. Every call's input is validated against `input` where it arrives.
 */

/** Images sent into a product: up to 200 files and 64 MB at once (products.importImages, products.importDefects). */
const imageImportInput = z
  .object({
    product: productNameSchema,
    files: z
      .array(z.object({ fileName, data: base64Image }).strict())
      .min(1)
      .max(200),
  })
  .strict()
  .refine(
    (v) => v.files.reduce((sum, f) => sum + f.data.length, 0) <= Math.ceil((MAX_IMPORT_REQUEST_BYTES * 4) / 3) + 4 * v.files.length,
    'These images together are over 64 MB: send them in smaller batches',
  );

export const STATION_API = {
  'station.info': method('operator', empty, stationInfoSchema),

  /** First run only: creates the first supervisor while the station has none (refused afterwards). */
  'setup.firstSupervisor': method('operator', z.object({ name: userName, pin }).strict(), sessionSchema),
  /** A user with a PIN (every supervisor) is named only with it: results must not be attributed to anyone. */
  'session.setOperator': method(
    'operator',
    z.object({ name: userName.nullable(), pin: pin.nullable().optional() }).strict(),
    sessionSchema,
  ),
  'session.unlock': method('operator', z.object({ name: userName, pin }).strict(), sessionSchema),
  'session.lock': method('operator', empty, sessionSchema),

  'products.list': method('operator', empty, z.array(productSummarySchema)),
  'products.create': method(
    'supervisor',
    z.object({ name: productNameSchema, displayName: z.string().trim().max(128).optional() }).strict(),
    productSummarySchema,
  ),
  'products.importImages': method('supervisor', imageImportInput, importReportSchema),
  /** Images of defective parts, labelled, for validating models (never trained on). */
  'products.importDefects': method('supervisor', imageImportInput, importReportSchema),

  'inspect.image': method(
    'operator',
    z.object({ product: productNameSchema, source: inspectionSourceSchema.exclude(['hot-folder']), fileName, data: base64Image }).strict(),
    inspectionResultSchema,
  ),

  'hotFolder.status': method('operator', empty, hotFolderStatusSchema),
  'hotFolder.start': method('operator', z.object({ product: productNameSchema }).strict(), hotFolderStatusSchema),
  'hotFolder.stop': method('operator', empty, hotFolderStatusSchema),

  'history.list': method(
    'operator',
    z
      .object({
        page: z.number().int().min(0).max(1_000_000),
        pageSize: z.number().int().min(1).max(200),
        product: z.string().nullable(),
        verdict: verdictSchema.nullable(),
        from: z.iso.datetime({ offset: true }).nullable(),
        to: z.iso.datetime({ offset: true }).nullable(),
      })
      .strict(),
    z.object({ total: z.number().int(), rows: z.array(inspectionResultSchema) }),
  ),
  'history.get': method('operator', z.object({ id: z.number().int().positive() }).strict(), inspectionResultSchema),
  'history.review': method(
    'operator',
    z.object({ id: z.number().int().positive(), review: reviewSchema.nullable() }).strict(),
    inspectionResultSchema,
  ),

  /** A past inspection's stored image added to its product's good training images (a false reject, most often). */
  'history.addAsGood': method('supervisor', z.object({ id: z.number().int().positive() }).strict(), importReportSchema),
  /** A past inspection's stored image added to its product's labelled defects for validation (a false accept, most often). */
  'history.addAsDefect': method('supervisor', z.object({ id: z.number().int().positive() }).strict(), importReportSchema),

  'training.start': method('supervisor', z.object({ preset: trainingPresetSchema }).strict(), trainingStatusSchema),
  'training.cancel': method('supervisor', empty, trainingStatusSchema),
  'training.status': method('operator', empty, trainingStatusSchema),

  'models.list': method('operator', empty, z.array(modelSummarySchema)),
  'models.promote': method('supervisor', z.object({ version: z.string().min(1).max(128) }).strict(), modelSummarySchema),
  /** The model on every product's labelled defects at its thresholds in force, beside the active model. */
  'models.validate': method('supervisor', z.object({ version: z.string().min(1).max(128) }).strict(), modelValidationSchema),
  'models.setThreshold': method(
    'supervisor',
    z.object({ version: z.string().min(1).max(128), product: productNameSchema, threshold: z.number().finite() }).strict(),
    modelSummarySchema,
  ),

  'reports.count': method('operator', z.object({ filter: reportFilterSchema }).strict(), z.object({ rows: z.number().int() })),
  /** The defect rate per day and the failures per product and reason, for the filter's dates and product. */
  'reports.summary': method(
    'operator',
    z.object({ filter: reportFilterSchema, utcOffsetMinutes: z.number().int().min(-840).max(840) }).strict(),
    reportSummarySchema,
  ),

  'settings.get': method('operator', empty, settingsSchema),
  /** Whether results reach the MQTT broker: connected, waiting, sent, and any never sent. */
  'line.mqttStatus': method('operator', empty, mqttStatusSchema),
  /** The PLC's OPC UA server and its trigger handshake. */
  'line.opcuaStatus': method('operator', empty, opcuaStatusSchema),
  /** The password of the settings' OPC UA user, kept as a salted hash only; null removes it. */
  'line.setOpcuaPassword': method(
    'supervisor',
    z.object({ password: z.string().min(8, 'a password of at least 8 characters').max(128).nullable() }).strict(),
    ok,
  ),
  /**
   * An Inspect screen with its camera live offers to answer line triggers (or withdraws). The offer
   * lapses after leaseSeconds unless renewed, so a closed window stops being asked.
   */
  'line.offerFrames': method(
    'operator',
    z.object({ offer: z.boolean() }).strict(),
    z.object({ providerId: z.string().nullable(), leaseSeconds: z.number() }),
  ),
  /** The answer to a line.frameRequest event: the frame, or why there is none (camera stopped). */
  'line.frame': method(
    'operator',
    z.union([
      z.object({ requestId: lineRequestId, data: base64Image }).strict(),
      z.object({ requestId: lineRequestId, problem: z.string().trim().min(1).max(300) }).strict(),
    ]),
    ok,
  ),
  'logs.tail': method('supervisor', z.object({ lines: z.number().int().min(1).max(500) }).strict(), z.array(logEntrySchema)),
  'settings.set': method('supervisor', settingsSchema.partial().strict(), settingsSchema),

  'users.list': method('operator', empty, z.array(userSummarySchema)),
  'users.create': method('supervisor', z.object({ name: userName, role: userRoleSchema, pin: pin.nullable() }).strict(), userSummarySchema),
  'users.setPin': method('supervisor', z.object({ name: userName, pin }).strict(), ok),
  'audit.list': method('supervisor', z.object({ limit: z.number().int().min(1).max(1000) }).strict(), z.array(auditEntrySchema)),
} as const;

export type StationApiSpec = typeof STATION_API;
export type MethodName = keyof StationApiSpec;
export const METHOD_NAMES = Object.keys(STATION_API) as MethodName[];
export type MethodInput<M extends MethodName> = z.input<StationApiSpec[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<StationApiSpec[M]['output']>;

/** The typed client every UI uses: one async function per method. */
export type StationClient = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(STATION_API, name);
}
