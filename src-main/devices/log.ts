import type { Log } from '../contract';

/**
 * How the devices layer tells the station what it saw or skipped. The station decides where it
 * goes (its log, the audit log for D-NO-LEAK "ignored" volumes); nothing here writes to stdout.
 */
export type DevicesLog = Log;

/** Warnings to stderr, the rest dropped: the default when the station passes no log. */
export const defaultDevicesLog: DevicesLog = (level, message, details) => {
  if (level === 'warn' || level === 'error') {
    console.warn(`evidock devices: ${message}`, details ?? '');
  }
};

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
