import type { MessageFormatFunc } from 'pino-pretty';

const WARN = 40;

interface LogRecord {
  level?: number;
  context?: unknown;
  reqId?: unknown;
  req?: { method?: unknown; url?: unknown };
  res?: { statusCode?: unknown };
  responseTime?: unknown;
}

/**
 * The message of a readable log line: a finished request as `POST /api/v1/tickets 201 12 ms`,
 * anything else as `Context: message`. Warnings and errors name their request id, which is what a
 * problem+json body carries as `requestId`.
 */
export const prettyLine: MessageFormatFunc = (log, messageKey) => {
  const record = log as LogRecord;
  const message = String(log[messageKey] ?? '');
  let line: string;
  if (record.req && record.res) {
    const ms = typeof record.responseTime === 'number' ? ` ${Math.round(record.responseTime)} ms` : '';
    line = `${String(record.req.method)} ${String(record.req.url)} ${String(record.res.statusCode)}${ms}`;
  } else {
    line = typeof record.context === 'string' && record.context ? `${record.context}: ${message}` : message;
  }
  return (record.level ?? 0) >= WARN && record.reqId !== undefined ? `${line} (request ${String(record.reqId)})` : line;
};
