import { spawn } from 'node:child_process';

export interface ToolRun {
  code: number | null;
  /** stdout and stderr interleaved as they came, the last `keep` characters. */
  output: string;
  /** Set when the tool could not be started at all (not installed). */
  missing: boolean;
}

/**
 * Runs a disc tool (xorriso, par2) to its end: each output line handed on as it comes, an abort
 * killing it, the C locale so that its reports read as the parsers expect. Argument lists only,
 * never a shell line.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: { onLine?: (line: string) => void; signal?: AbortSignal; keep?: number } = {},
): Promise<ToolRun> {
  const keep = options.keep ?? 1 << 20;
  return new Promise((resolve) => {
    let output = '';
    let partial = '';
    let missing = false;
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      windowsHide: true,
    });
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-keep);
      if (options.onLine === undefined) return;
      partial += text;
      const lines = partial.split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') missing = true;
      output += String(error);
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (partial !== '') options.onLine?.(partial);
      resolve({ code, output, missing });
    });
  });
}
