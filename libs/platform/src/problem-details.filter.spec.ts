import { MongoNetworkError } from 'mongodb';
import { ApiError, toProblem } from './problem-details.filter';

class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

describe('problem+json from errors', () => {
  it('answers a service’s own code with the status the service gives it, and the help article on it', () => {
    const error = new DomainError('client_deleted', 'the client was deleted');
    expect(toProblem(error, { client_deleted: 410 })).toEqual({
      type: 'https://clientbook.dev/problems/client-deleted',
      title: 'Gone',
      status: 410,
      detail: 'the client was deleted',
      code: 'client_deleted',
      help: '/v1/kb/articles/error-client-deleted',
    });
  });

  it('knows the common codes in every service, and no service’s codes but its own', () => {
    expect(toProblem(new DomainError('not_found', 'no such client')).status).toBe(404);
    // Another service's code, not declared here: an internal error, its text not shown.
    expect(
      toProblem(new DomainError('client_deleted', 'secret detail'), { unparseable_file: 422 }),
    ).toMatchObject({
      status: 500,
      code: 'internal',
      detail: 'something went wrong on our side; the request was not completed',
    });
  });

  it('passes on the status of an answer from another service', () => {
    const passedOn = new ApiError(
      'non_unique_entry',
      'code taken',
      [{ field: 'code', message: 'taken' }],
      409,
    );
    expect(toProblem(passedOn)).toMatchObject({
      status: 409,
      code: 'non_unique_entry',
      errors: [{ field: 'code', message: 'taken' }],
    });
  });

  it('answers 503 unavailable when the database does not answer', () => {
    const error = new MongoNetworkError('connection refused');
    expect(toProblem(error)).toMatchObject({ status: 503, code: 'unavailable' });
  });
});
