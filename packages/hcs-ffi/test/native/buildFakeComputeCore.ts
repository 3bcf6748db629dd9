import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Found from the package root, so the compiled copy the benchmarks run resolves the same files.
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}
const here = join(packageRoot(), 'test', 'native');
const source = join(here, 'fakeComputeCore.c');

/** Which computecore.dll the fake stands for: a current one, or one without the newer exports. */
export type FakeVariant = 'current' | 'old';

/**
 * Compiles test/native/fakeComputeCore.c into the git-ignored build/ folder when the library is
 * missing or older than its source, and returns its path. Test files run in parallel processes,
 * so each compiles to a private name and renames it into place.
 */
export function buildFakeComputeCore(variant: FakeVariant = 'current'): string {
  const output = join(here, 'build', variant === 'old' ? 'fakeComputeCoreOld.so' : 'fakeComputeCore.so');
  if (existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs) return output;
  mkdirSync(dirname(output), { recursive: true });
  const temporary = `${output}.${process.pid}.tmp`;
  const flags = ['-shared', '-fPIC', '-pthread', '-O2', '-Wall', '-Wextra', '-Werror', ...(variant === 'old' ? ['-DFAKE_OLD_BUILD'] : [])];
  execFileSync('cc', [...flags, '-o', temporary, source], { stdio: 'pipe' });
  renameSync(temporary, output);
  return output;
}
