// @ts-check
/**
 * ESLint rule `layers/allowed-imports`: the editor-side twin of tools/checkLayers.js. It asks the
 * same function (layerCheck.js `checkImport`) about every import, so both report the same edges.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImport, classifyFile, loadWorkspace } from './layerCheck.js';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** @type {Map<string, ReturnType<typeof loadWorkspace>>} */
const workspaces = new Map();

/** @param {string} root */
function workspaceAt(root) {
  let ws = workspaces.get(root);
  if (ws === undefined) {
    ws = loadWorkspace(root);
    workspaces.set(root, ws);
  }
  return ws;
}

/** @type {import('eslint').Rule.RuleModule} */
const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the @uvm layer matrix, declared dependencies and package exports' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    /** @type {unknown} */
    const firstOption = context.options[0];
    const options = /** @type {{ root?: string } | undefined} */ (firstOption);
    const ws = workspaceAt(options?.root ?? defaultRoot);
    const file = context.filename;
    const site = classifyFile(ws, file);
    if (site === undefined) return {};
    const { pkg, kind } = site;

    /** @param {{ type: string, value?: unknown } | null | undefined} source */
    function check(source) {
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      const message = checkImport(ws, { pkg, kind, file, specifier: source.value });
      if (message !== undefined) context.report({ node: /** @type {import('eslint').Rule.Node} */ (source), message });
    }

    return {
      ImportDeclaration: (node) => { check(node.source); },
      ExportNamedDeclaration: (node) => { check(node.source); },
      ExportAllDeclaration: (node) => { check(node.source); },
      ImportExpression: (node) => { check(node.source); },
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

export default { meta: { name: 'layers' }, rules: { 'allowed-imports': allowedImports } };
