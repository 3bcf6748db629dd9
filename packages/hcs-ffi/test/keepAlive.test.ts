import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeComputeCore } from './native/fakeComputeCore.js';

// Whether the process stays alive can only be seen from outside it, so these tests run small
// scripts in a fresh Node. They import the package by its name, which resolves to the build.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(packageRoot, 'test', 'native', 'build');
const fake = fakeComputeCore();

function runScript(name: string, body: string): { status: number | null; stdout: string; stderr: string } {
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, `${name}-${process.pid}.mjs`);
  writeFileSync(file, body);
  try {
    const result = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 15_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(file, { force: true });
  }
}

const settings = JSON.stringify({ libraryPath: fake.libraryPath, freeString: fake.freeString });

beforeAll(() => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', packageRoot], { stdio: 'pipe' });
}, 120_000);

describe('keeping the process alive', () => {
  it('keeps Node running while an HCS operation is pending, until it completes', () => {
    const result = runScript(
      'pending-operation',
      `import { openComputeCore } from '@uvm/hcs-ffi';
const hcs = openComputeCore(${settings});
const started = Date.now();
await hcs.createComputeSystem('keepalive-delay-300-' + process.pid, '{}');
console.log('settled after', Date.now() - started, 'ms');
await hcs.close();`,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const waited = Number(/settled after (\d+) ms/.exec(result.stdout)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(250);
  });

  it('keeps Node running while someone waits for a system to exit', () => {
    const result = runScript(
      'pending-exit',
      `import { openComputeCore } from '@uvm/hcs-ffi';
const hcs = openComputeCore(${settings});
const system = await hcs.createComputeSystem('keepalive-exit-' + process.pid, '{}');
await hcs.startComputeSystem(system);
const exit = hcs.waitForComputeSystemExit(system);
await hcs.shutDownComputeSystem(system, { shutdownOptions: 'delay-300' });
console.log(JSON.stringify(await exit));
await hcs.close();`,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('{"Status":0,"ExitType":"GracefulExit"}');
  });

  it('needs that hold: koffi’s relay alone lets Node exit with the operation still pending', () => {
    // The same wait with a bare registered callback: Node ends the process before the completion
    // (code 13, "unsettled top-level await", or a crash when the late callback meets a torn-down
    // runtime). This is what the binding's keep-alive prevents.
    const result = runScript(
      'bare-callback',
      `import koffi from 'koffi';
import { loadHcsApi } from '@uvm/hcs-ffi';
const api = loadHcsApi(${settings});
let done;
const completed = new Promise((resolve) => (done = resolve));
const callback = koffi.register(() => done(), koffi.pointer(koffi.type('HCS_OPERATION_COMPLETION')));
const op = api.HcsCreateOperation(1n, callback);
api.HcsCreateComputeSystem('bare-delay-300-' + process.pid, '{}', op, null);
await completed;
console.log('settled');`,
    );
    expect(result.stdout).toBe('');
    expect(result.status).not.toBe(0);
  });
});
