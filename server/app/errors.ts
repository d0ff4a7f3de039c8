/**
 * Errors of the use cases that are not rules of the domain (a missing resource, a bad request).
 * Like domain errors they carry a stable `code`; server/http maps codes to HTTP statuses.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', what);
