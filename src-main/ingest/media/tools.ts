import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * ffprobe and ffmpeg as shipped inside npm packages, so the station does not depend on whatever
 * ffmpeg a workstation happens to have (or not). Each run is a direct spawn (no shell: file names
 * come from a recorder), with a timeout and a cap on what it may print.
 */

export type MediaTool = 'ffprobe' | 'ffmpeg';

const PACKAGES: Record<MediaTool, string> = {
  ffprobe: '@ffprobe-installer/ffprobe',
  ffmpeg: '@ffmpeg-installer/ffmpeg',
};

const resolved = new Map<MediaTool, string | null>();

/** The binary's path, or null where the package has no build for this platform. */
export function mediaToolPath(tool: MediaTool): string | null {
  if (!resolved.has(tool)) {
    let path: string | null = null;
    try {
      // Required lazily: the installer packages throw at load time on an unsupported platform,
      // which must cost the clip its media facts, not the station its start.
      const found = (createRequire(import.meta.url)(PACKAGES[tool]) as { path?: unknown }).path;
      if (typeof found === 'string') path = outsideAsar(found);
    } catch {
      // The package is not installed for this platform: the tool is missing, and said so.
      path = null;
    }
    resolved.set(tool, path);
  }
  return resolved.get(tool) ?? null;
}

/**
 * In the packaged app the package resolves inside app.asar, which the OS cannot execute from;
 * the binary itself must be unpacked (electron-builder `asarUnpack`) next to it.
 */
function outsideAsar(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export interface ToolRun {
  /** Exit code 0, within the time and output limits. */
  ok: boolean;
  stdout: Buffer;
  /** The end of what the tool printed to stderr, for diagnostics. */
  stderr: string;
  timedOut: boolean;
}

export function runMediaTool(
  binary: string,
  args: readonly string[],
  limits: { timeoutMs: number; maxStdoutBytes: number },
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    let overflowed = false;
    let settled = false;
    const finish = (exitedCleanly: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        ok: exitedCleanly && !timedOut && !overflowed,
        stdout: Buffer.concat(chunks),
        stderr,
        timedOut,
      });
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      resolve({ ok: false, stdout: Buffer.alloc(0), stderr: String(error), timedOut: false });
      return;
    }
    // Declared after the spawn: `finish` only runs from the child's events, after this line.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limits.timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > limits.maxStdoutBytes) {
        overflowed = true;
        child.kill('SIGKILL');
      } else {
        chunks.push(chunk);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
    });
    // A binary that cannot start reports here, and may or may not report 'close' after it.
    child.on('error', (error) => {
      stderr += String(error);
      finish(false);
    });
    child.on('close', (code) => finish(code === 0));
  });
}

/**
 * An input or output for ffmpeg/ffprobe: `file:` makes the path a plain file whatever it
 * contains (a name with a colon would otherwise be read as a protocol).
 */
export function fileUrl(path: string): string {
  return `file:${path}`;
}
