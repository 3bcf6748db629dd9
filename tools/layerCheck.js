// @ts-check
/**
 * Reads the workspace and decides whether an import or a declared dependency crosses a layer
 * boundary. Shared by the `checkLayers.js` command and the ESLint rule, so both give one answer.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { SCOPE, describeAllowed, isAllowedEdge } from './layers.js';

/**
 * @typedef {Record<string, string>} DependencyMap
 * @typedef {{ name?: string, exports?: unknown, dependencies?: DependencyMap, devDependencies?: DependencyMap,
 *   peerDependencies?: DependencyMap, optionalDependencies?: DependencyMap }} Manifest
 * @typedef {{ name: string, shortName: string, dir: string, manifestPath: string, manifestText: string,
 *   manifest: Manifest, exportKeys: string[] }} WorkspacePackage
 * @typedef {{ root: string, packages: Map<string, WorkspacePackage> }} Workspace
 * @typedef {{ file: string, line: number, message: string }} Problem
 * @typedef {'src' | 'test'} FileKind
 */

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const SCANNED_DIRS = /** @type {const} */ (['src', 'test', 'bench']);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', '.turbo']);
const BUILTINS = new Set(builtinModules);

/**
 * @param {string} root repository root
 * @returns {Workspace}
 */
export function loadWorkspace(root) {
  const packagesDir = join(root, 'packages');
  /** @type {Map<string, WorkspacePackage>} */
  const packages = new Map();
  if (!existsSync(packagesDir)) return { root, packages };
  for (const entry of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, entry);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifestText = readFileSync(manifestPath, 'utf8');
    /** @type {unknown} */
    const parsed = JSON.parse(manifestText);
    const manifest = /** @type {Manifest} */ (parsed);
    const name = manifest.name ?? '';
    const shortName = name.startsWith(SCOPE) ? name.slice(SCOPE.length) : entry;
    packages.set(shortName, { name, shortName, dir, manifestPath, manifestText, manifest, exportKeys: exportKeysOf(manifest) });
  }
  return { root, packages };
}

/** @param {Manifest} manifest */
function exportKeysOf(manifest) {
  const exp = manifest.exports;
  if (exp === undefined || exp === null || typeof exp !== 'object' || Array.isArray(exp)) return ['.'];
  const entries = Object.entries(exp);
  return entries.some(([k]) => k.startsWith('.')) ? entries.filter(([, v]) => v !== null).map(([k]) => k) : ['.'];
}

/**
 * @param {string[]} keys
 * @param {string} subpath like "./internal/x"
 */
function exportsAllow(keys, subpath) {
  return keys.some((key) => {
    if (key === subpath) return true;
    const star = key.indexOf('*');
    if (star === -1) return false;
    return subpath.startsWith(key.slice(0, star)) && subpath.endsWith(key.slice(star + 1)) && subpath.length >= key.length - 1;
  });
}

/**
 * Which package a file belongs to, and whether it is shipped code or test code.
 * @param {Workspace} ws
 * @param {string} file absolute path
 * @returns {{ pkg: WorkspacePackage, kind: FileKind } | undefined}
 */
export function classifyFile(ws, file) {
  for (const pkg of ws.packages.values()) {
    const rel = relative(pkg.dir, file);
    if (rel.startsWith('..') || rel === '' || rel.startsWith(sep)) continue;
    const top = rel.split(sep)[0];
    return { pkg, kind: top === 'src' ? 'src' : 'test' };
  }
  return undefined;
}

/** @param {string} specifier */
function bareName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * @param {WorkspacePackage} pkg
 * @param {FileKind} kind
 * @param {string} dep
 */
function declares(pkg, kind, dep) {
  const m = pkg.manifest;
  const runtime = [m.dependencies, m.peerDependencies, m.optionalDependencies];
  const all = kind === 'src' ? runtime : [...runtime, m.devDependencies];
  return all.some((deps) => deps !== undefined && Object.hasOwn(deps, dep));
}

/**
 * Checks one import. Returns a sentence naming the problem and the fix, or undefined when it is fine.
 * @param {Workspace} ws
 * @param {{ pkg: WorkspacePackage, kind: FileKind, file: string, specifier: string }} site
 * @returns {string | undefined}
 */
export function checkImport(ws, { pkg, kind, file, specifier }) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = resolve(dirname(file), specifier);
    const rel = relative(pkg.dir, target);
    if (rel.startsWith('..') || rel.startsWith(sep)) {
      const other = classifyFile(ws, target);
      const instead = other ? ` Import '${other.pkg.name}' by its public name instead.` : '';
      return `relative import '${specifier}' leaves ${pkg.name}.${instead}`;
    }
    if (kind === 'src' && relative(join(pkg.dir, 'src'), target).startsWith('..')) {
      return `shipped code in ${pkg.name}/src imports '${specifier}', which is outside src/ and is not published.`;
    }
    return undefined;
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(bareName(specifier))) return undefined;

  const depName = bareName(specifier);
  const subpath = '.' + specifier.slice(depName.length);
  if (depName.startsWith(SCOPE)) {
    const targetShort = depName.slice(SCOPE.length);
    const target = ws.packages.get(targetShort);
    if (target === undefined) return `'${depName}' is not a package of this workspace.`;
    if (targetShort !== pkg.shortName && !isAllowedEdge(pkg.shortName, targetShort)) {
      return `forbidden layer edge ${pkg.name} → ${depName}: ${pkg.name} may import ${describeAllowed(pkg.shortName)} (DESIGN.md §1).`;
    }
    if (targetShort !== pkg.shortName && !declares(pkg, kind, depName)) {
      return `${pkg.name} imports '${depName}' but its package.json does not declare it; add "${depName}": "workspace:^" to ${kind === 'src' ? 'dependencies' : 'devDependencies'}.`;
    }
    if (!exportsAllow(target.exportKeys, subpath)) {
      return `deep import '${specifier}' reaches past the exports of ${depName} (it exports ${target.exportKeys.map((k) => `'${k}'`).join(', ')}); import from '${depName}' instead.`;
    }
    return undefined;
  }
  if (!declares(pkg, kind, depName)) {
    const where = kind === 'src' ? 'dependencies' : 'dependencies or devDependencies';
    return `${pkg.name} imports '${depName}' but its package.json does not declare it in ${where}.`;
  }
  return undefined;
}

/**
 * Finds import specifiers in a source text, with 1-based line numbers. Comments and the insides of
 * other string literals are ignored.
 * @param {string} text
 * @returns {{ specifier: string, line: number }[]}
 */
export function findImports(text) {
  const { code, literals } = scan(text);
  const patterns = [
    /\bfrom\s*$/,
    /(?:^|[^\w$.])import\s*$/,
    /(?:^|[^\w$.])import\s*\(\s*$/,
    /(?:^|[^\w$.])require\s*\(\s*$/,
  ];
  /** @type {{ specifier: string, line: number }[]} */
  const found = [];
  for (const { start, value } of literals) {
    const before = code.slice(Math.max(0, start - 40), start);
    if (patterns.some((re) => re.test(before))) found.push({ specifier: value, line: lineOf(code, start) });
  }
  return found;
}

/** @param {string} text @param {number} index */
function lineOf(text, index) {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Blanks comments and the contents of string literals (keeping newlines, so lines still count),
 * and lists the single- and double-quoted literals with their positions.
 * @param {string} text
 */
function scan(text) {
  let code = '';
  /** @type {{ start: number, value: string }[]} */
  const literals = [];
  let i = 0;
  const blank = (/** @type {string} */ s) => s.replace(/[^\n]/g, ' ');
  while (i < text.length) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      code += blank(text.slice(i, stop));
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      code += blank(text.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text.charAt(j) !== c && !(c !== '`' && text.charAt(j) === '\n')) {
        j += text.charAt(j) === '\\' ? 2 : 1;
      }
      const stop = Math.min(j + 1, text.length);
      if (c !== '`') literals.push({ start: i, value: text.slice(i + 1, j) });
      code += c + blank(text.slice(i + 1, stop));
      i = stop;
    } else {
      code += c;
      i++;
    }
  }
  return { code, literals };
}

/** @param {string} dir @returns {string[]} */
function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  /** @type {string[]} */
  const files = [];
  for (const entry of readdirSync(dir).sort()) {
    if (SKIPPED_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE_EXTENSIONS.some((ext) => entry.endsWith(ext)) && !entry.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** @param {string} text @param {string} needle */
function lineContaining(text, needle) {
  const index = text.indexOf(needle);
  return index === -1 ? 1 : lineOf(text, index);
}

/**
 * Checks every package's declared @uvm dependencies and every import in its src/, test/ and bench/.
 * @param {string} root
 * @returns {Problem[]}
 */
export function checkRepository(root) {
  const ws = loadWorkspace(root);
  /** @type {Problem[]} */
  const problems = [];
  for (const pkg of ws.packages.values()) {
    const manifestFile = relative(root, pkg.manifestPath);
    for (const field of /** @type {const} */ (['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'])) {
      const deps = pkg.manifest[field];
      if (deps === undefined) continue;
      for (const dep of Object.keys(deps)) {
        if (!dep.startsWith(SCOPE)) continue;
        const target = dep.slice(SCOPE.length);
        const line = lineContaining(pkg.manifestText, `"${dep}"`);
        if (!ws.packages.has(target)) {
          problems.push({ file: manifestFile, line, message: `${field} names '${dep}', which is not a package of this workspace.` });
        } else if (target !== pkg.shortName && !isAllowedEdge(pkg.shortName, target)) {
          problems.push({ file: manifestFile, line, message: `forbidden layer edge ${pkg.name} → ${dep} in ${field}: ${pkg.name} may depend on ${describeAllowed(pkg.shortName)} (DESIGN.md §1).` });
        }
      }
    }
    problems.push(...checkReferences(ws, pkg));
    for (const dirName of SCANNED_DIRS) {
      const kind = dirName === 'src' ? 'src' : 'test';
      for (const file of sourceFiles(join(pkg.dir, dirName))) {
        const text = readFileSync(file, 'utf8');
        for (const { specifier, line } of findImports(text)) {
          const message = checkImport(ws, { pkg, kind, file, specifier });
          if (message !== undefined) problems.push({ file: relative(root, file), line, message });
        }
      }
    }
  }
  return problems;
}

/**
 * TypeScript project references must mirror the declared @uvm dependencies, and so the matrix.
 * @param {Workspace} ws
 * @param {WorkspacePackage} pkg
 * @returns {Problem[]}
 */
function checkReferences(ws, pkg) {
  const tsconfigPath = join(pkg.dir, 'tsconfig.json');
  if (!existsSync(tsconfigPath)) return [];
  const text = readFileSync(tsconfigPath, 'utf8');
  /** @type {unknown} */
  const parsed = JSON.parse(text);
  const refs = /** @type {{ references?: { path: string }[] }} */ (parsed).references ?? [];
  const file = relative(ws.root, tsconfigPath);
  /** @type {Problem[]} */
  const problems = [];
  const referenced = new Set();
  for (const ref of refs) {
    const target = classifyFile(ws, join(resolve(pkg.dir, ref.path), 'tsconfig.json'));
    const line = lineContaining(text, `"${ref.path}"`);
    if (target === undefined) {
      problems.push({ file, line, message: `reference '${ref.path}' is not a package of this workspace.` });
      continue;
    }
    referenced.add(target.pkg.shortName);
    if (!isAllowedEdge(pkg.shortName, target.pkg.shortName)) {
      problems.push({ file, line, message: `forbidden layer edge ${pkg.name} → ${target.pkg.name} in project references: ${pkg.name} may depend on ${describeAllowed(pkg.shortName)} (DESIGN.md §1).` });
    }
  }
  for (const dep of Object.keys(pkg.manifest.dependencies ?? {})) {
    const short = dep.slice(SCOPE.length);
    if (dep.startsWith(SCOPE) && ws.packages.has(short) && !referenced.has(short) && existsSync(join(ws.packages.get(short)?.dir ?? '', 'tsconfig.json'))) {
      problems.push({ file, line: lineContaining(text, '"references"'), message: `${pkg.name} depends on ${dep} but tsconfig.json has no project reference to it; add { "path": "../${short}" }.` });
    }
  }
  return problems;
}
