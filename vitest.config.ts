import { availableParallelism } from 'node:os';
import { defineConfig, type Plugin } from 'vitest/config';

/** Migrations are .sql files imported as text, exactly as the esbuild bundle does. */
function sqlAsText(): Plugin {
  return {
    name: 'sql-as-text',
    transform(code, id) {
      return id.endsWith('.sql')
        ? { code: `export default ${JSON.stringify(code)};`, map: null }
        : null;
    },
  };
}

export default defineConfig({
  plugins: [sqlAsText()],
  test: {
    // Most integration tests spend their time waiting on a station child process, a Ceph
    // gateway or a backoff, not on the CPU: vitest's default (one worker per core but one) left
    // a 2-core machine running one file at a time. Files in parallel were checked to be hermetic.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Every station a test runs, in this process or as a child, checks each answer against the
    // contract's output schema: an answer the contract does not describe fails the test.
    env: { EVIDOCK_CHECK_OUTPUTS: '1' },
    projects: [
      {
        plugins: [sqlAsText()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Some unit tests make their footage with ffmpeg first (media facts, thumbnails): on a
          // loaded 2-core machine that alone can pass vitest's 5 s default.
          testTimeout: 30_000,
        },
      },
      {
        plugins: [sqlAsText()],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/build-main.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Real hot-plugged block devices (zram + FAT/ext4, mounted under /media); root only.
        plugins: [sqlAsText()],
        test: {
          name: 'devices',
          include: ['test/devices/**/*.test.ts'],
          // Another volume stays docked meanwhile: every test must ignore what it did not make.
          globalSetup: ['test/support/stray-volume.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/stray-volume.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
