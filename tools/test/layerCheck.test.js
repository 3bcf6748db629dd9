// @ts-check
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { checkRepository, findImports } from '../layerCheck.js';
import layers from '../eslintPluginLayers.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** @typedef {{ deps?: Record<string, string>, devDeps?: Record<string, string>, files?: Record<string, string> }} FakePackage */

/**
 * Writes a small workspace with the given packages under a fresh temporary directory.
 * @param {Record<string, FakePackage>} packages
 */
function workspace(packages) {
  const root = mkdtempSync(join(tmpdir(), 'uvm-layers-'));
  for (const [name, spec] of Object.entries(packages)) {
    const dir = join(root, 'packages', name);
    mkdirSync(dir, { recursive: true });
    const manifest = {
      name: `@uvm/${name}`,
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
      dependencies: spec.deps ?? {},
      devDependencies: spec.devDeps ?? {},
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    for (const [file, text] of Object.entries(spec.files ?? {})) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  }
  return root;
}

const base = {
  types: { files: { 'src/index.ts': 'export const x = 1;\n' } },
  'hcs-ffi': { deps: { '@uvm/types': 'workspace:^' } },
  vmmanager: { deps: { '@uvm/types': 'workspace:^', '@uvm/hcs-ffi': 'workspace:^' } },
};

/**
 * Runs the ESLint rule on one file of a fake workspace and returns its messages.
 * @param {string} root @param {string} file @param {string} code
 */
function lint(root, file, code) {
  const linter = new Linter({ configType: 'flat', cwd: root });
  const config = /** @type {import('eslint').Linter.Config[]} */ ([
    { files: ['**/*.ts'], plugins: { layers }, rules: { 'layers/allowed-imports': ['error', { root }] } },
  ]);
  return linter.verify(code, config, { filename: join(root, file) }).map((m) => `${m.line}: ${m.message}`);
}

describe('layer check', () => {
  it('passes on this repository', () => {
    expect(checkRepository(repoRoot)).toEqual([]);
  });

  it('reports builder importing vmmanager with the file, the line and the edge', () => {
    const root = workspace({
      ...base,
      builder: { deps: { '@uvm/types': 'workspace:^' }, files: { 'src/build.ts': "import { x } from '@uvm/types';\n\nimport { UtilityVM } from '@uvm/vmmanager';\n" } },
    });
    const problems = checkRepository(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: join('packages', 'builder', 'src', 'build.ts'), line: 3 });
    expect(problems[0]?.message).toContain('forbidden layer edge @uvm/builder → @uvm/vmmanager');
    expect(problems[0]?.message).toContain('may import @uvm/types');
  });

  it('reports guest importing hcs-ffi even in a test file and a dynamic import', () => {
    const root = workspace({
      ...base,
      guest: {
        deps: { '@uvm/types': 'workspace:^' },
        files: { 'test/bridge.test.ts': "const m = await import('@uvm/hcs-ffi');\n", 'src/a.ts': "export { openComputeCore } from '@uvm/hcs-ffi';\n" },
      },
    });
    const problems = checkRepository(root).map((p) => `${p.file}:${p.line}`);
    expect(problems).toEqual([join('packages', 'guest', 'src', 'a.ts') + ':1', join('packages', 'guest', 'test', 'bridge.test.ts') + ':1']);
  });

  it('reports a forbidden edge declared in package.json', () => {
    const root = workspace({ ...base, guest: { deps: { '@uvm/types': 'workspace:^', '@uvm/vmmanager': 'workspace:^' } } });
    const [problem] = checkRepository(root);
    expect(problem?.file).toBe(join('packages', 'guest', 'package.json'));
    expect(problem?.message).toContain('forbidden layer edge @uvm/guest → @uvm/vmmanager in dependencies');
  });

  it('reports an import that package.json does not declare', () => {
    const root = workspace({
      ...base,
      builder: { files: { 'src/a.ts': "import { x } from '@uvm/types';\nimport left from 'left-pad';\nimport { readFile } from 'node:fs';\n" } },
    });
    const messages = checkRepository(root).map((p) => `${p.line}: ${p.message}`);
    expect(messages).toEqual([
      `1: @uvm/builder imports '@uvm/types' but its package.json does not declare it; add "@uvm/types": "workspace:^" to dependencies.`,
      "2: @uvm/builder imports 'left-pad' but its package.json does not declare it in dependencies.",
    ]);
  });

  it('accepts a devDependency in tests but not in shipped code', () => {
    const root = workspace({
      ...base,
      builder: { deps: { '@uvm/types': 'workspace:^' }, devDeps: { vitest: '4' }, files: { 'test/a.test.ts': "import { it } from 'vitest';\n", 'src/a.ts': "import { it } from 'vitest';\n" } },
    });
    expect(checkRepository(root).map((p) => p.file)).toEqual([join('packages', 'builder', 'src', 'a.ts')]);
  });

  it('reports a deep import past the exports map', () => {
    const root = workspace({
      ...base,
      builder: { deps: { '@uvm/types': 'workspace:^' }, files: { 'src/a.ts': "import { x } from '@uvm/types/dist/errors.js';\n" } },
    });
    const [problem] = checkRepository(root);
    expect(problem?.message).toContain("deep import '@uvm/types/dist/errors.js' reaches past the exports of @uvm/types");
  });

  it('reports a relative import into another package', () => {
    const root = workspace({ ...base, builder: { deps: { '@uvm/types': 'workspace:^' }, files: { 'src/a.ts': "import { x } from '../../types/src/index.js';\n" } } });
    const [problem] = checkRepository(root);
    expect(problem?.message).toContain("relative import '../../types/src/index.js' leaves @uvm/builder. Import '@uvm/types'");
  });

  it('reports a project reference the matrix forbids and a dependency with no reference', () => {
    const tsconfig = (/** @type {string[]} */ refs) => JSON.stringify({ references: refs.map((path) => ({ path })) }, null, 2);
    const root = workspace({
      types: { files: { 'tsconfig.json': tsconfig([]) } },
      'hcs-ffi': { deps: { '@uvm/types': 'workspace:^' }, files: { 'tsconfig.json': tsconfig([]) } },
      vmmanager: { deps: { '@uvm/types': 'workspace:^' }, files: { 'tsconfig.json': tsconfig(['../types']) } },
      builder: { deps: { '@uvm/types': 'workspace:^' }, files: { 'tsconfig.json': tsconfig(['../types', '../vmmanager']) } },
    });
    const messages = checkRepository(root).map((p) => `${p.file}: ${p.message}`);
    expect(messages).toEqual([
      `${join('packages', 'builder', 'tsconfig.json')}: forbidden layer edge @uvm/builder → @uvm/vmmanager in project references: @uvm/builder may depend on @uvm/types (DESIGN.md §1).`,
      `${join('packages', 'hcs-ffi', 'tsconfig.json')}: @uvm/hcs-ffi depends on @uvm/types but tsconfig.json has no project reference to it; add { "path": "../types" }.`,
    ]);
  });

  it('ignores imports inside comments and strings', () => {
    const text = "// import x from '@uvm/vmmanager';\n/* import y from 'left-pad' */\nconst s = \"from '@uvm/cli'\";\nimport z from './z.js';\n";
    expect(findImports(text)).toEqual([{ specifier: './z.js', line: 4 }]);
  });

  it('the command prints file:line and exits non-zero', () => {
    const root = workspace({ ...base, guest: { deps: { '@uvm/types': 'workspace:^' }, files: { 'src/a.ts': "\nimport { openComputeCore } from '@uvm/hcs-ffi';\n" } } });
    const result = spawnSync(process.execPath, [join(repoRoot, 'tools', 'checkLayers.js'), root], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join('packages', 'guest', 'src', 'a.ts')}:2: forbidden layer edge @uvm/guest → @uvm/hcs-ffi`);
    expect(execFileSync(process.execPath, [join(repoRoot, 'tools', 'checkLayers.js'), workspace(base)], { encoding: 'utf8' })).toContain('respects the layer matrix');
  });

  it('the ESLint rule gives the same answer as the command', () => {
    const code = "import { x } from '@uvm/types';\nimport { UtilityVM } from '@uvm/vmmanager';\nimport { y } from '@uvm/types/dist/y.js';\n";
    const root = workspace({ ...base, builder: { deps: { '@uvm/types': 'workspace:^' }, files: { 'src/a.ts': code } } });
    const fromCommand = checkRepository(root).map((p) => `${p.line}: ${p.message}`);
    expect(fromCommand).toHaveLength(2);
    expect(lint(root, 'packages/builder/src/a.ts', code)).toEqual(fromCommand);
  });
});
