/**
 * Typed domain errors. Services throw these; `src/web/errors.ts` is the one place
 * that maps them to HTTP (problem+json for the API, a page for HTML).
 * Codes are part of the public API: never rename one.
 */
export type FieldError = { field: string; message: string };

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(readonly entity: string, readonly ref?: string) {
    super(`${entity} not found${ref ? `: ${ref}` : ''}`);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  readonly status = 403;
  constructor(message = 'You do not have permission to do this.') {
    super(message);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
  readonly status = 401;
  constructor(message = 'Sign in to do this.') {
    super(message);
  }
}

export class CsrfError extends DomainError {
  readonly code = 'csrf_invalid';
  readonly status = 403;
  constructor() {
    super('The form token is missing or invalid. Reload the page and try again.');
  }
}

export class ValidationError extends DomainError {
  readonly code: string = 'validation_failed';
  readonly status = 422;
  constructor(readonly fields: FieldError[], message = 'The input is not valid.') {
    super(message);
  }
}

/**
 * A file that cannot be read as the format it claims (broken JSON, a CSV without the columns,
 * a size bomb): a 422 naming the field that carried the file, the message says what is wrong.
 */
export class FileFormatError extends ValidationError {
  override readonly code: string = 'file_unreadable';
  constructor(message: string, field = 'content') {
    super([{ field, message }], message);
    this.name = 'FileFormatError';
  }
}

/**
 * A remote source (Kolada, a PxWebApi site) could not be reached or answered with something other
 * than what was asked for: the request was valid, what it names cannot be fetched as given.
 */
export class ConnectorError extends ValidationError {
  override readonly code: string = 'connector_failed';
  constructor(message: string, field = 'source') {
    super([{ field, message }], message);
    this.name = 'ConnectorError';
  }
}

export class ConflictError extends DomainError {
  readonly code: string;
  readonly status = 409;
  constructor(message: string, code = 'conflict', readonly field?: string) {
    super(message);
    this.code = code;
  }
}

export class InvalidTokenError extends DomainError {
  readonly code = 'token_invalid';
  readonly status = 400;
  constructor(message = 'This link is invalid or has expired.') {
    super(message);
  }
}
