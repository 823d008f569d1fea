// @ts-check
import { builtinModules } from 'node:module';
import path from 'node:path';

/**
 * evidock/layers: the layer table in eslint.config.js, checked on every way a module can be
 * reached — static imports and re-exports, `import()`, `require()`, `import x = require()`,
 * `import('…').T` types and `declare module '…'` augmentations; no-restricted-imports sees only
 * static declarations, and a boundary that an `await import()` can cross is no boundary.
 *
 * Resolution is by path, not by pattern: a specifier is joined to the file's folder and the first
 * folder under src-main/ names its layer, so `../../contract` from a nested folder, `./x` inside a
 * layer, `../catalogue/index.js` and `../../src-main/catalogue` all land where TypeScript lands.
 */

const BUILTINS = new Set(builtinModules);
const DECLARATION = /\.d\.[cm]?ts$/;
const SCRIPT_EXTENSION = /\.(?:d\.)?[cm]?[jt]sx?$/;

/**
 * @typedef {object} Options
 * @property {string} root the repository folder that holds `main` and `renderer`
 * @property {string} main the folder whose sub-folders are the layers
 * @property {Record<string, string[]>} layers each layer and the layers it may import
 * @property {string[]} pure layers that run anywhere: no Node builtins, no native modules
 * @property {string[]} nativeModules packages that load a native addon (station process only)
 * @property {string} shell the one layer that may import electron
 * @property {string} renderer the web page's folder
 * @property {string[]} rendererMayImport the layers the renderer may import
 */

/** @type {WeakSet<Options>} */
const validated = new WeakSet();

/**
 * A layer may import only layers declared before it: the one-way rule then holds by
 * construction, and a cycle in the table is a config error rather than a lint message.
 * @param {Options} options
 */
function validate(options) {
  if (validated.has(options)) return options;
  const names = Object.keys(options.layers);
  for (const [index, layer] of names.entries()) {
    for (const allowed of options.layers[layer] ?? []) {
      const at = names.indexOf(allowed);
      if (at < 0 || at >= index) {
        throw new Error(
          `evidock/layers: ${layer} may import ${allowed}, which is ${at < 0 ? 'not a layer' : 'not declared before it'}`,
        );
      }
    }
  }
  for (const name of [...options.pure, options.shell, ...options.rendererMayImport]) {
    if (!names.includes(name)) throw new Error(`evidock/layers: ${name} is not a layer`);
  }
  validated.add(options);
  return options;
}

/** @param {string} p */
const toPosix = (p) => p.split(path.sep).join('/');

/**
 * Where a specifier lands, given as a path relative to the repository root. A path straight
 * under `main` may be a file or a folder; with its extension dropped it is taken as the folder of
 * that name, so `../catalogue.js` cannot pass for something outside the layer.
 * @param {string} rel
 * @param {Options} o
 * @returns {{ kind: 'layer', name: string } | { kind: 'unknown', name: string } | { kind: 'main' } | { kind: 'renderer' } | { kind: 'other' }}
 */
function target(rel, o) {
  const segments = rel.split('/');
  if (segments[0] === o.renderer && segments.length > 1) return { kind: 'renderer' };
  if (segments[0] !== o.main) return { kind: 'other' };
  const first = segments[1];
  if (first === undefined || first === '') return { kind: 'main' };
  const name = segments.length === 2 ? first.replace(SCRIPT_EXTENSION, '') : first;
  return name in o.layers ? { kind: 'layer', name } : { kind: 'unknown', name };
}

/**
 * What the linted file is: in a layer, in a folder of `main` that is not one, loose in `main`
 * itself, in the renderer, or elsewhere (not this rule's business).
 * @param {string} file posix, relative to the repository root
 * @param {Options} o
 * @returns {{ kind: 'layer', name: string } | { kind: 'unknown', name: string } | { kind: 'loose' } | { kind: 'renderer' } | { kind: 'other' }}
 */
function source(file, o) {
  const segments = file.split('/');
  if (segments[0] === o.renderer && segments.length > 1) return { kind: 'renderer' };
  if (segments[0] !== o.main || segments.length < 2) return { kind: 'other' };
  if (segments.length === 2) return { kind: 'loose' };
  const name = /** @type {string} */ (segments[1]);
  return name in o.layers ? { kind: 'layer', name } : { kind: 'unknown', name };
}

/**
 * The layer path a bare specifier spells out (`src-main/station/x`, `pkg/src-main/x`), if any.
 * @param {string} specifier
 * @param {Options} o
 */
function mainPathIn(specifier, o) {
  const segments = specifier.split('/');
  const at = segments.indexOf(o.main);
  return at < 0 ? undefined : segments.slice(at).join('/');
}

/** @param {string} specifier */
const isRelative = (specifier) =>
  specifier === '.' ||
  specifier === '..' ||
  specifier.startsWith('./') ||
  specifier.startsWith('../');

/** @param {string} specifier */
const isBuiltin = (specifier) => specifier.startsWith('node:') || BUILTINS.has(specifier);

/**
 * @param {string} specifier
 * @param {string} name
 */
const isPackage = (specifier, name) => specifier === name || specifier.startsWith(`${name}/`);

/**
 * The specifier of a module-reaching node, or null when it is not a plain string.
 * @param {import('estree').Node | null | undefined} node
 * @returns {string | null}
 */
function literal(node) {
  if (!node) return null;
  if (node.type === 'Literal') return typeof node.value === 'string' ? node.value : null;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? null;
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports between src-main layers go one way, as the layer table says.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          main: { type: 'string' },
          layers: {
            type: 'object',
            additionalProperties: { type: 'array', items: { type: 'string' } },
          },
          pure: { type: 'array', items: { type: 'string' } },
          nativeModules: { type: 'array', items: { type: 'string' } },
          shell: { type: 'string' },
          renderer: { type: 'string' },
          rendererMayImport: { type: 'array', items: { type: 'string' } },
        },
        required: [
          'root',
          'main',
          'layers',
          'pure',
          'nativeModules',
          'shell',
          'renderer',
          'rendererMayImport',
        ],
        additionalProperties: false,
      },
    ],
    messages: {
      unknownFolder:
        '{{main}}/{{folder}} is not a layer: add it to the layer list in eslint.config.js with the layers it may import.',
      looseFile:
        'Only module declarations (.d.ts) may sit directly in {{main}}/: code belongs in a layer folder.',
      downward:
        '{{main}}/{{from}} must not import {{main}}/{{to}}: {{from}} may import {{allowed}}. Imports go one way (the layer list in eslint.config.js).',
      unknownTarget:
        "'{{specifier}}' is {{main}}/{{to}}, which is not a layer: add it to the layer list in eslint.config.js.",
      mainRoot:
        "'{{specifier}}' is {{main}}/ itself, which is no layer: import from a layer folder.",
      nonLiteral:
        'Module specifier is not a string literal: the layering of what it loads cannot be checked.',
      pure: "{{main}}/{{from}} is pure: no Node builtins or native modules ('{{specifier}}').",
      electron: 'Only {{main}}/{{shell}} may import electron: the station runs without it.',
      nativeInShell: 'Native modules live only in the station process, not in {{main}}/{{shell}}.',
      rendererNode:
        'The renderer is a sandboxed web page: no Node or native modules; ask the station over the contract.',
      rendererLayer:
        'The renderer may import only {{allowed}} of {{main}}/ ({{main}}/{{to}} is not): ask the station over the contract.',
    },
  },

  create(context) {
    const o = validate(/** @type {Options} */ (context.options[0]));
    const file = toPosix(path.relative(o.root, context.physicalFilename));
    if (file.startsWith('../') || path.isAbsolute(file)) return {};
    const from = source(file, o);
    const fromLayer = from.kind === 'layer' ? from.name : undefined;
    const inMain = from.kind === 'layer' || from.kind === 'unknown' || from.kind === 'loose';
    const folder = path.posix.dirname(file);
    const listing = (/** @type {string[]} */ list) =>
      list.length === 0 ? 'no other layer' : `only ${list.join(', ')}`;

    /**
     * @param {import('estree').Node} node
     * @param {string} specifier
     */
    function checkSpecifier(node, specifier) {
      const data = { main: o.main, shell: o.shell, specifier, from: fromLayer ?? '' };
      const mainPath = isRelative(specifier)
        ? path.posix.join(folder, specifier)
        : mainPathIn(specifier, o);

      if (mainPath !== undefined) {
        const to = target(mainPath, o);
        if (from.kind === 'renderer') {
          if (to.kind === 'layer' && o.rendererMayImport.includes(to.name)) return;
          if (to.kind === 'layer' || to.kind === 'unknown') {
            context.report({
              node,
              messageId: 'rendererLayer',
              data: {
                ...data,
                to: to.name,
                allowed: o.rendererMayImport.map((l) => `${o.main}/${l}`).join(', '),
              },
            });
          } else if (to.kind === 'main') {
            context.report({ node, messageId: 'mainRoot', data });
          }
          return;
        }
        if (!inMain) return;
        if (to.kind === 'unknown') {
          context.report({ node, messageId: 'unknownTarget', data: { ...data, to: to.name } });
        } else if (to.kind === 'main') {
          context.report({ node, messageId: 'mainRoot', data });
        } else if (to.kind === 'layer' && fromLayer !== undefined) {
          const allowed = o.layers[fromLayer] ?? [];
          if (to.name !== fromLayer && !allowed.includes(to.name)) {
            context.report({
              node,
              messageId: 'downward',
              data: { ...data, to: to.name, allowed: listing(allowed) },
            });
          }
        }
        return;
      }

      const builtin = isBuiltin(specifier);
      const native = o.nativeModules.some((name) => isPackage(specifier, name));
      if (isPackage(specifier, 'electron')) {
        if (fromLayer !== o.shell) context.report({ node, messageId: 'electron', data });
      } else if (from.kind === 'renderer') {
        if (builtin || native) context.report({ node, messageId: 'rendererNode', data });
      } else if (fromLayer !== undefined && o.pure.includes(fromLayer)) {
        if (builtin || native) context.report({ node, messageId: 'pure', data });
      } else if (fromLayer === o.shell && native) {
        context.report({ node, messageId: 'nativeInShell', data });
      }
    }

    /** @param {import('estree').Node | null | undefined} node */
    function check(node) {
      if (!node) return;
      const specifier = literal(node);
      if (specifier !== null) {
        checkSpecifier(node, specifier);
      } else if (inMain || from.kind === 'renderer') {
        context.report({ node, messageId: 'nonLiteral' });
      }
    }

    return {
      Program(node) {
        const loc = { line: 1, column: 0 };
        if (from.kind === 'unknown') {
          const data = { main: o.main, folder: from.name };
          context.report({ node, loc, messageId: 'unknownFolder', data });
        } else if (from.kind === 'loose' && !DECLARATION.test(file)) {
          context.report({ node, loc, messageId: 'looseFile', data: { main: o.main } });
        }
      },
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          check(/** @type {import('estree').Node | undefined} */ (node.arguments[0]));
        }
      },
      // typescript-eslint nodes, not in ESTree's types.
      /** @param {any} node */
      TSImportType(node) {
        check(node.source ?? node.argument?.literal);
      },
      /** @param {any} node */
      TSExternalModuleReference(node) {
        check(node.expression);
      },
      /** @param {any} node */
      TSModuleDeclaration(node) {
        if (node.id?.type === 'Literal') check(node.id);
      },
    };
  },
};

export default { meta: { name: 'evidock' }, rules: { layers } };
