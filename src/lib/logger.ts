import { type Logger, pino } from 'pino';
import { currentContext } from './context.js';

/**
 * Paths that could carry personal data or credentials. Domain code must not log them in the first
 * place; this is the second line of defence (PIPL Art. 51), and a test greps captured logs.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.name',
  '*.idNumber',
  '*.certificateNumber',
  '*.phone',
  '*.body',
  // A personal access link's token and its second factor (self-service).
  '*.idLast4',
  '*.birthDate',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACT, censor: '[redacted]' },
      // Every line written while a request is being served carries its request id.
      mixin() {
        const ctx = currentContext();
        return ctx
          ? { requestId: ctx.requestId, userId: ctx.userId, organizationId: ctx.organizationId }
          : {};
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
