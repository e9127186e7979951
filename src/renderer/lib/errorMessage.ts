import { ApiError } from '../../shared/api/apiErrors';

/** The sentence to show for anything thrown: ApiError messages are written for the operator already. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return 'Something went wrong (no details were given).';
}
