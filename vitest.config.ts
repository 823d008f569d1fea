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
    projects: [
      {
        plugins: [sqlAsText()],
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
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
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
