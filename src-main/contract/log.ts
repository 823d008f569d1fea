/**
 * How any part of the station says what it did, skipped or failed at, for the people who run
 * it. The station decides where it goes (its rotating log file and stderr); a module that is
 * given no log says nothing. Never for footage, passwords or personal data.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Log = (level: LogLevel, message: string, details?: Record<string, unknown>) => void;
