// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * Layers are folders and imports only go one way (lower layers never import higher ones).
 * Each entry lists the src-main folders that layer must not import.
 */
const MAIN_LAYERS = [
  'contract',
  'domain',
  'catalogue',
  'custody',
  'auth',
  'devices',
  'ingest',
  'forward',
  'disc',
  'reports',
  'station',
  'electron',
];
const ALLOWED = {
  contract: [],
  domain: ['contract'],
  catalogue: ['contract', 'domain'],
  custody: ['contract', 'domain', 'catalogue'],
  auth: ['contract', 'domain', 'catalogue', 'custody'],
  devices: ['contract', 'domain', 'catalogue', 'custody'],
  ingest: ['contract', 'domain', 'catalogue', 'custody', 'devices'],
  forward: ['contract', 'domain', 'catalogue', 'custody'],
  disc: ['contract', 'domain', 'catalogue', 'custody'],
  reports: ['contract', 'domain'],
  station: MAIN_LAYERS.filter((l) => l !== 'station' && l !== 'electron'),
  electron: ['contract'],
};

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nativeModules = ['better-sqlite3', 'usb', 'node-hid', 'drivelist', 'ws', 'chokidar'];

/** @param {string} layer */
function layerPatterns(layer) {
  const forbidden = MAIN_LAYERS.filter((l) => l !== layer && !ALLOWED[layer].includes(l));
  return forbidden.length === 0
    ? []
    : [
        {
          regex: `(^|/)(\\.\\./)+(src-main/)?(${forbidden.join('|')})(/|$)`,
          message: `src-main/${layer} must not import ${forbidden.join(', ')}: layers import only downwards (see DESIGN.md).`,
        },
      ];
}

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
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  // Each src-main layer: one-way imports; pure layers also refuse Node and native modules.
  ...MAIN_LAYERS.filter((l) => l !== 'electron').map((layer) => {
    const pure = layer === 'contract' || layer === 'domain';
    return {
      files: [`src-main/${layer}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [
              electronOnly,
              ...(pure
                ? [...nodeBuiltins, ...nativeModules].map((name) => ({
                    name,
                    message: `src-main/${layer} is pure: no Node or native modules.`,
                  }))
                : []),
            ],
            patterns: layerPatterns(layer),
          },
        ],
      },
    };
  }),
  {
    files: ['src-main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nativeModules.map((name) => ({
            name,
            message: 'Native modules live only in the station process.',
          })),
          patterns: layerPatterns('electron'),
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronOnly,
            ...[...nodeBuiltins, ...nativeModules].map((name) => ({
              name,
              message:
                'The renderer is a sandboxed web page: no Node or native modules; ask the station over the contract.',
            })),
          ],
          patterns: [
            {
              regex: '(^|/)src-main/(?!contract(/|$))',
              message: 'The renderer may import only src-main/contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: { 'no-restricted-imports': 'off' },
  },
  prettier,
);
