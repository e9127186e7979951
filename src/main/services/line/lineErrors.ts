/**
 * The handshake's error codes (the ErrorCode variable and the methods' answer), fixed numbers a PLC
 * program can branch on; docs/line-integration.md lists them. 0 is "no error".
 */
export const LINE_ERROR_CODES = {
  none: 0,
  /** No model is active. */
  noModel: 1,
  /** No product is selected (write Product or call SelectProduct). */
  noProduct: 2,
  /** The active model does not know the product. */
  unknownProduct: 3,
  /** Nothing can give a frame: no Inspect screen answers triggers, the hot folder is not watched. */
  noFrameSource: 4,
  /** The frame source did not give a frame in time. */
  frameTimeout: 5,
  /** The frame came but could not be inspected (not an image, too large...). */
  imageRefused: 6,
  /** The inspection failed inside the station (the station log has the details). */
  inspectionFailed: 7,
  /** A trigger came while the one before was running; it was not started. */
  busy: 8,
  /** A trigger came before the result before it was acknowledged (ResultAck); it was not started. */
  notAcknowledged: 9,
  /** The station's inspection queue is full (hot folder, other clients); try again. */
  stationBusy: 10,
  /** The inspection did not finish within the inspection timeout. */
  inspectionTimeout: 11,
} as const;

export type LineErrorName = keyof typeof LINE_ERROR_CODES;

/** A trigger that ended without a verdict, with its code and the words for LastError. */
export class LineError extends Error {
  constructor(
    readonly code: LineErrorName,
    message: string,
  ) {
    super(message);
  }
}
