/**
 * The station's own refusals, as kinds of condition rather than transport codes: the catalogue,
 * the services and the engine throw these, and the station's dispatcher turns each kind into its
 * API code in one place (services/station/apiErrorBody.ts). Anything else thrown is a bug ("internal").
 */
export const DOMAIN_ERROR_KINDS = [
  'not-found', // no such product, model version, inspection or user
  'conflict', // exists already, or the station's state forbids it now (a run in progress, nothing to train)
  'no-model', // nothing is active, or the active model does not cover the product
  'invalid-input', // a value the station's rules refuse (a product name, a hot folder, a PIN)
  'busy', // too much in flight: the same request later will do
] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

/** `message` is written for the person at the station: the UI shows it as it is. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (error: unknown, kind: DomainErrorKind): boolean => error instanceof DomainError && error.kind === kind;
