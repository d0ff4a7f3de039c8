import { pino } from 'pino';
import { requestContext } from './context.ts';

export type Logger = pino.Logger;

/** What a log line may say about an error: its kind, codes and stack, never the data it touched. */
export type SafeError = {
  type: string;
  message: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  stack?: string;
  cause?: SafeError;
};

type PgFields = {
  code?: unknown;
  severity?: unknown;
  routine?: unknown;
  constraint_name?: unknown;
  table_name?: unknown;
  column_name?: unknown;
};

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Email addresses, phone numbers, SPI/SIREN-like digit runs: what a message must never carry. */
export function maskPersonal(text: string): string {
  return text
    .replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+/g, '[adresse masquée]')
    .replace(/(?:\+?\d[ .-]?){8,}\d/g, '[chiffres masqués]');
}

/**
 * An error as the logs may keep it. A PostgreSQL error's `detail` ("Failing row contains (…)"),
 * `where`, `query` and `parameters` quote the row — names, phone numbers — so only its code,
 * constraint, table, column and the fixed part of its message (before any ": value") are kept.
 * Other messages go through `maskPersonal`. The stack keeps its frames, never the original message.
 */
export function safeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error)) return { type: typeof err, message: 'valeur lancée qui n’est pas une erreur' };
  const pg = err as Error & PgFields;
  const fromPostgres = typeof pg.severity === 'string' && typeof pg.routine === 'string';
  const message = fromPostgres
    ? err.message.split(': ')[0]!.slice(0, 200)
    : maskPersonal(err.message).slice(0, 500);
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 15)
    .join('\n');
  const safe: SafeError = { type: err.name, message, stack: `${err.name}: ${message}\n${frames}` };
  const code = str(pg.code);
  if (code) safe.code = code;
  if (fromPostgres) {
    const constraint = str(pg.constraint_name);
    const table = str(pg.table_name);
    const column = str(pg.column_name);
    if (constraint) safe.constraint = constraint;
    if (table) safe.table = table;
    if (column) safe.column = column;
  }
  if (err.cause !== undefined && depth < 2) safe.cause = safeError(err.cause, depth + 1);
  return safe;
}

/**
 * Structured JSON logs. Personal data never reaches a log line: request logs carry method, path
 * (without query string), status and duration only; every `err` goes through `safeError`; and the
 * redaction list below is a second net.
 */
export function createLogger(
  level: pino.LevelWithSilent = 'info',
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service: 'guichet' },
      // Every line written while a request is handled carries its id: HTTP → use case → event.
      mixin: () => requestContext.getStore() ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        err: (value: unknown) => (typeof value === 'string' ? maskPersonal(value) : safeError(value)),
      },
      redact: {
        paths: [
          '*.password',
          '*.usager',
          '*.email',
          '*.telephones',
          '*.numeroFiscal',
          '*.nomUsage',
          'req.headers.cookie',
          'req.headers.authorization',
        ],
        censor: '[masqué]',
      },
    },
    destination,
  );
}
