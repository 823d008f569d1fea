import type { RpcErrorBody, RpcResult } from '../../contract';
import { wireError } from '../wire-errors';

export interface OutputOptions {
  json?: boolean;
}

/** Thrown to end a command with a stable error; the CLI prints it and exits non-zero. */
export class CliFailure extends Error {
  constructor(readonly body: RpcErrorBody) {
    super(body.message);
  }
}

export function fail(
  code: RpcErrorBody['code'],
  message: string,
  details?: Record<string, unknown>,
): never {
  throw new CliFailure(details ? { code, message, details } : { code, message });
}

/** The value of a dispatcher answer, or a CliFailure carrying its error. */
export function unwrap<T>(result: RpcResult): T {
  if (!result.ok) throw new CliFailure(result.error);
  return result.value as T;
}

export function errorBody(error: unknown): RpcErrorBody {
  if (error instanceof CliFailure) return error.body;
  const known = wireError(error);
  if (known !== null) return known;
  // The command line's user is at the station itself: they see what went wrong.
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

/** One JSON document on stdout with --json; otherwise the human text. */
export function emit(options: OutputOptions, value: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export function emitError(options: OutputOptions, body: RpcErrorBody): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
  } else {
    process.stderr.write(`evidock: ${body.message} (${body.code})\n`);
  }
}

/** A plain text table for terminals. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Terminal columns: CJK characters take two. */
function width(text: string): number {
  let columns = 0;
  for (const char of text)
    columns +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        char,
      )
        ? 2
        : 1;
  return columns;
}
