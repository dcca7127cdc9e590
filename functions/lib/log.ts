/**
 * Structured JSON logs for CloudWatch: one line per event with the function, the invocation and details,
 * so Logs Insights can filter on `level`, `body` or `outcome`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, details?: Record<string, unknown>): void;
  child(context: Record<string, unknown>): Logger;
}

export function jsonLogger(context: Record<string, unknown>, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  return {
    log(level, message, details = {}) {
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...context, ...details }));
    },
    child(more) {
      return jsonLogger({ ...context, ...more }, write);
    },
  };
}

/** An error as log details (message and name; the stack only for unexpected errors). */
export const errorDetails = (e: unknown, withStack = false) => {
  const err = e as Error;
  return { error: err?.message ?? String(e), errorName: err?.name, ...(withStack ? { stack: err?.stack } : {}) };
};
