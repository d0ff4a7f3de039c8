export type DomainErrorCode =
  | 'SLOT_TAKEN'
  | 'SLOT_UNAVAILABLE'
  | 'HOLD_RELEASED'
  | 'OUTSIDE_BOOKING_WINDOW'
  | 'GUICHET_CLOSED'
  | 'GUICHET_NOT_BOOKABLE'
  | 'TYPE_NOT_ALLOWED'
  | 'FERMETURE'
  | 'OVERLAP'
  | 'END_BEFORE_START'
  | 'ARRIVAL_FROZEN'
  | 'ARRIVAL_TOO_EARLY'
  | 'RDV_CANCELLED'
  | 'COMMENT_REQUIRED'
  | 'COMMENT_TOO_LONG'
  | 'INVALID_DATE'
  | 'INVALID_TIME'
  | 'INVALID_TIME_ZONE'
  | 'INVALID_DURATION'
  | 'MOTIF_NOT_ALLOWED'
  | 'ACKNOWLEDGEMENT_REQUIRED'
  | 'RDV_STARTED'
  | 'SELF_CANCELLATION_DISABLED';

/**
 * A rule of the domain was broken. `code` is stable and machine-readable (server/http maps it to an
 * HTTP status); `message` is French and tells the person what to do.
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** Plain, serialisable form of an error or a warning (what the agenda shows before saving). */
export interface Issue<C extends string = string> {
  code: C;
  message: string;
}
