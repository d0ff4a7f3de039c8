import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Personal data never reaches a log line: request logs carry method, path
 * (without query string), status and duration only, and the redaction list below is a second net.
 */
export function createLogger(level: pino.LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service: 'guichet' },
    timestamp: pino.stdTimeFunctions.isoTime,
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
  });
}
