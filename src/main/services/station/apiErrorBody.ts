import { ApiError, type ApiErrorBody, type ApiErrorCode } from '../../../shared/api/apiErrors';
import { DomainError, type DomainErrorKind } from '../../domainError';
import { ImageDecodeError } from '../../ingest/imageDecodeError';
import { NotAuthorisedError } from './supervisorActions';

/** The API code of each domain condition: the one place the station's errors meet the transport's. */
export const API_CODE_OF_DOMAIN_ERROR: Record<DomainErrorKind, ApiErrorCode> = {
  'not-found': 'not-found',
  conflict: 'conflict',
  'no-model': 'no-model',
  'invalid-input': 'invalid-request',
  busy: 'busy',
};

/** What the API answers for anything a call threw; what nobody anticipated is "internal". */
export function apiErrorBody(error: unknown): ApiErrorBody {
  if (error instanceof DomainError) return { code: API_CODE_OF_DOMAIN_ERROR[error.kind], message: error.message };
  if (error instanceof ApiError) return error.toBody();
  if (error instanceof NotAuthorisedError) return { code: 'not-authorised', message: error.message };
  if (error instanceof ImageDecodeError) return { code: 'bad-image', message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** Errors nobody anticipated: these go to the station log with their stack. */
export function isUnexpectedError(error: unknown): boolean {
  return !(
    error instanceof DomainError ||
    error instanceof ApiError ||
    error instanceof NotAuthorisedError ||
    error instanceof ImageDecodeError
  );
}
