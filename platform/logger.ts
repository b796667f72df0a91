import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Personal data never belongs in a log line; these paths are redacted as a
 * second line of defence should one slip into a logged object.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.phone',
  '*.name',
  '*.customer',
  '*.email',
  '*.toAddress',
  '*.token',
  'password',
  'phone',
  'token',
];

export function createLogger(opts: { level?: string; name: string }): Logger {
  return pino({
    name: opts.name,
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: opts.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
export type { Logger };
