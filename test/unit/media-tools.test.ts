// Running ffprobe/ffmpeg (issue 3, "Media facts"): the binaries come from npm packages, and every
// run is a direct spawn with a timeout and an output cap, so a hostile or broken file can neither
// inject a command nor hang the station.
import { accessSync, constants } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mediaToolPath, runMediaTool } from '../../src-main/ingest/media/tools';

const node = process.execPath;
const limits = { timeoutMs: 10_000, maxStdoutBytes: 1024 * 1024 };

describe('mediaToolPath', () => {
  it.each(['ffprobe', 'ffmpeg'] as const)(
    '%s resolves to the executable in its npm package',
    (tool) => {
      const path = mediaToolPath(tool);
      expect(path).toMatch(new RegExp(`@${tool}-installer`));
      expect(() => accessSync(path ?? '', constants.X_OK)).not.toThrow();
    },
  );
});

describe('runMediaTool', () => {
  it('passes arguments literally, with no shell', async () => {
    const hostile = '$(echo injected); `id` | cat > /dev/null; "quoted"';
    const run = await runMediaTool(
      node,
      ['-e', 'process.stdout.write(process.argv[1])', hostile],
      limits,
    );
    expect(run.ok).toBe(true);
    expect(run.stdout.toString()).toBe(hostile);
  });

  it('a run that hangs is killed at its timeout', async () => {
    const started = Date.now();
    const run = await runMediaTool(node, ['-e', 'setInterval(() => {}, 1000)'], {
      ...limits,
      timeoutMs: 300,
    });
    expect(run).toMatchObject({ ok: false, timedOut: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a run that prints more than allowed is killed and fails', async () => {
    const run = await runMediaTool(
      node,
      ['-e', 'setInterval(() => process.stdout.write("x".repeat(65536)), 1)'],
      { ...limits, maxStdoutBytes: 100_000 },
    );
    expect(run.ok).toBe(false);
    expect(run.stdout.length).toBeLessThanOrEqual(100_000);
  });

  it('a non-zero exit fails, and keeps the end of stderr', async () => {
    const run = await runMediaTool(
      node,
      ['-e', 'process.stderr.write("bad input"); process.exit(3)'],
      limits,
    );
    expect(run.ok).toBe(false);
    expect(run.stderr).toContain('bad input');
  });

  it('a binary that does not exist fails without throwing', async () => {
    const run = await runMediaTool('/nonexistent/evidock-ffprobe', ['-version'], limits);
    expect(run.ok).toBe(false);
    expect(run.timedOut).toBe(false);
  });
});
