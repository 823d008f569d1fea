// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import evidock from './scripts/lint/layers.mjs';

/**
 * Layers are folders under src-main/, and each may import only the layers listed with it, all
 * declared above it. Imports go one way so that every layer can be read, tested and replaced
 * knowing only what lies below it: the contract stays loadable by the sandboxed renderer, the
 * pure layers (rules and types) need no Node, no database and no device, the services below the
 * station never depend on how they are wired or served, and the station runs headless, without
 * the Electron shell that talks to it only over the contract.
 *
 * A new folder under src-main/ is a lint error until it is listed here with its imports.
 */
const BELOW_STATION = {
  contract: [],
  domain: ['contract'],
  catalogue: ['contract', 'domain'],
  archive: ['contract', 'domain'],
  custody: ['contract', 'domain', 'catalogue', 'archive'],
  devices: ['contract', 'domain'],
  ingest: ['contract', 'domain', 'catalogue', 'archive', 'custody', 'devices'],
  auth: ['contract', 'domain', 'catalogue', 'custody'],
  dock: ['contract', 'domain', 'catalogue', 'archive', 'custody', 'devices', 'ingest', 'auth'],
  filing: ['contract', 'domain', 'catalogue', 'archive', 'custody', 'auth'],
  forward: ['contract', 'domain', 'catalogue', 'archive', 'custody'],
  reports: ['contract', 'domain', 'catalogue', 'custody'],
  // A disc carries PDFs (README, 清单, its label) made as the reports are, in the same font.
  disc: ['contract', 'domain', 'catalogue', 'archive', 'custody', 'reports'],
};
const LAYERS = {
  ...BELOW_STATION,
  // The composition root: it wires every layer above it into one process.
  station: Object.keys(BELOW_STATION),
  electron: ['contract'],
};

const layerRule = {
  root: import.meta.dirname,
  main: 'src-main',
  layers: LAYERS,
  pure: ['contract', 'domain'],
  nativeModules: ['better-sqlite3', 'usb', 'node-hid', 'drivelist', 'ws', 'chokidar'],
  shell: 'electron',
  renderer: 'src-renderer',
  rendererMayImport: ['contract'],
};

const electronOnly = {
  name: 'electron',
  message: 'Only src-main/electron may import electron: the station runs without it.',
};

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'test-output/', '.cache/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Outside src-main/ and src-renderer/, which the layer rule covers.
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  // The layer rule sees every way to reach a module, so it replaces no-restricted-imports there.
  {
    files: ['src-main/**', 'src-renderer/**'],
    plugins: { evidock },
    rules: {
      'evidock/layers': ['error', layerRule],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: { 'no-restricted-imports': 'off' },
  },
  prettier,
);
