/**
 * Structured JSON logs for CloudWatch: one line per event with the function, the invocation and details,
 * so Logs Insights can filter on `level`, `body` or `outcome`.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The least severe level written: `NIANBAO_LOG_LEVEL` (default info), like Powertools' POWERTOOLS_LOG_LEVEL. */
function threshold(): number {
  const i = LOG_LEVELS.indexOf((process.env.NIANBAO_LOG_LEVEL ?? 'info') as LogLevel);
  return i < 0 ? 1 : i;
}

export interface Logger {
  log(level: LogLevel, message: string, details?: Record<string, unknown>): void;
  child(context: Record<string, unknown>): Logger;
}

export function jsonLogger(context: Record<string, unknown>, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  return {
    log(level, message, details = {}) {
      if (LOG_LEVELS.indexOf(level) < threshold()) return;
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
