import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/shared/api/apiErrors';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { DOMAIN_ERROR_KINDS, DomainError } from '../../../../src/main/domainError';
import { ImageDecodeError } from '../../../../src/main/ingest/imageDecodeError';
import { apiErrorBody, isUnexpectedError } from '../../../../src/main/services/station/apiErrorBody';
import { NotAuthorisedError } from '../../../../src/main/services/station/supervisorActions';

/** Written out here, not read from the module, so that a changed mapping fails this test. */
const EXPECTED_CODES = {
  'not-found': 'not-found',
  conflict: 'conflict',
  'no-model': 'no-model',
  'invalid-input': 'invalid-request',
  busy: 'busy',
} as const;

/** What the API would answer for the error `act` throws. */
function answerFor(act: () => unknown) {
  try {
    act();
  } catch (error) {
    return apiErrorBody(error);
  }
  throw new Error('expected a refusal');
}

describe('domain errors on the API', () => {
  it.each(DOMAIN_ERROR_KINDS)('%s is answered with its own code and the message as written', (kind) => {
    expect(apiErrorBody(new DomainError(kind, `the ${kind} sentence`))).toEqual({
      code: EXPECTED_CODES[kind],
      message: `the ${kind} sentence`,
    });
  });

  it("passes the transport's own errors through and calls anything else internal", () => {
    expect(apiErrorBody(new ApiError('unknown-method', 'no such call'))).toEqual({ code: 'unknown-method', message: 'no such call' });
    expect(apiErrorBody(new NotAuthorisedError())).toMatchObject({ code: 'not-authorised' });
    expect(apiErrorBody(new ImageDecodeError('not-an-image', 'x.png'))).toMatchObject({
      code: 'bad-image',
      message: expect.stringMatching(/^x\.png: /),
    });
    expect(apiErrorBody(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(apiErrorBody('odd')).toEqual({ code: 'internal', message: 'odd' });
  });

  it('logs as unexpected only what is not a refusal', () => {
    expect(DOMAIN_ERROR_KINDS.map((kind) => isUnexpectedError(new DomainError(kind, 'x')))).toEqual(DOMAIN_ERROR_KINDS.map(() => false));
    expect(isUnexpectedError(new ApiError('invalid-request', 'x'))).toBe(false);
    expect(isUnexpectedError(new TypeError('x is undefined'))).toBe(true);
  });
});

describe('catalogue refusals on the API', () => {
  let catalog: Catalog;
  beforeEach(() => {
    catalog = Catalog.open(':memory:');
  });
  afterEach(() => catalog.close());

  it('a name taken is a conflict, not internal', () => {
    catalog.classes.create('gear');
    expect(answerFor(() => catalog.classes.create('gear'))).toEqual({ code: 'conflict', message: 'A product named "gear" exists already' });
    catalog.users.create('olga', 'operator');
    expect(answerFor(() => catalog.users.create(' olga ', 'operator'))).toEqual({
      code: 'conflict',
      message: 'A user named "olga" exists already',
    });
  });

  it('a record that is not there is not-found, not internal', () => {
    expect(answerFor(() => catalog.inspections.setReview(404, 'false-reject'))).toMatchObject({ code: 'not-found' });
    expect(answerFor(() => catalog.models.promote(404))).toMatchObject({ code: 'not-found' });
  });

  it("a value the catalogue's rules refuse is an invalid request, not internal", () => {
    expect(answerFor(() => catalog.classes.create('Widget A'))).toMatchObject({
      code: 'invalid-request',
      message: expect.stringMatching(/lower-case/),
    });
    expect(answerFor(() => catalog.users.create('sam', 'supervisor'))).toEqual({
      code: 'invalid-request',
      message: 'A supervisor needs a PIN',
    });
    expect(answerFor(() => catalog.users.create('sam', 'supervisor', '12'))).toMatchObject({ code: 'invalid-request' });
  });
});
