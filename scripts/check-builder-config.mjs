// Checks electron-builder.yml against electron-builder's own schema without packaging anything
// (packaging needs the Electron binary, which build machines without internet do not have):
// `node scripts/check-builder-config.mjs`. Uses app-builder-lib's internal loader, the same code
// `electron-builder` runs first; if an upgrade moves it, this fails loudly rather than passing.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
// app-builder-lib and builder-util come with electron-builder: resolve them from there.
const require = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util');

try {
  const config = await getConfig(projectDir, 'electron-builder.yml', null);
  await validateConfiguration(config, new DebugLogger(false));
  console.log(`electron-builder.yml is valid for ${config.appId}.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
