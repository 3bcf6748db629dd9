// The cost of the binding against bare koffi, and how quiet the event loop stays while HCS works.
// Runs against the fake computecore (test/native), compiled on demand. Run with
// `npx pnpm@12.21.0 --filter @uvm/hcs-ffi bench` after a build; not part of the tests.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import koffi from 'koffi';
import { loadHcsApi, openComputeCore, type HcsOperationHandle } from '@uvm/hcs-ffi';
import { fakeComputeCore } from '../test/native/fakeComputeCore.js';

const fake = fakeComputeCore();
const ROUNDS = 5;
const BATCH = 100_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
let sink = 0;

/** Nanoseconds per call, over whole batches until 300 ms have passed. */
function nsPerCall(fn: () => number): number {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < 300) {
    for (let i = 0; i < BATCH; i++) sink += fn();
    calls += BATCH;
  }
  return ((performance.now() - start) * 1e6) / calls;
}

// (1) One trivial export through the binding (lazy resolution, argument checks) and through a
// koffi function declared the same way.
const api = loadHcsApi({ libraryPath: fake.libraryPath, freeString: fake.freeString });
const op = api.HcsCreateOperation(null, null) as HcsOperationHandle;
const raw = koffi.load(fake.libraryPath).func('int32_t __stdcall HcsGetOperationType(HCS_OPERATION operation)') as (op: bigint) => number;
const viaBinding = () => api.HcsGetOperationType(op);
const viaKoffi = () => raw(op);
nsPerCall(viaBinding);
nsPerCall(viaKoffi);
const bindingNs: number[] = [];
const koffiNs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  bindingNs.push(nsPerCall(viaBinding));
  koffiNs.push(nsPerCall(viaKoffi));
}
api.HcsCloseOperation(op);
const callRatio = median(bindingNs) / median(koffiNs);
console.log('(1) trivial call, HcsGetOperationType, median of 5 rounds:');
console.log(`    through the binding        ${median(bindingNs).toFixed(0)} ns/call`);
console.log(`    bare koffi (baseline)      ${median(koffiNs).toFixed(0)} ns/call`);
console.log(`    ratio ${callRatio.toFixed(2)}x the baseline (aim: at most 1.5x)`);

// (2) Event-loop delay while 256 operations are pending and complete over ~1 s, against the same
// window with nothing pending.
async function loopDelayP99Ms(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await work();
  histogram.disable();
  return histogram.percentile(99) / 1e6;
}

fake.setDelayMs(5);
const hcs = openComputeCore({ libraryPath: fake.libraryPath, freeString: fake.freeString });
const system = await hcs.createComputeSystem(`bench-${process.pid}`, '{}');
await hcs.startComputeSystem(system);
const pendingP99: number[] = [];
const idleP99: number[] = [];
for (let round = 0; round < 3; round++) {
  idleP99.push(await loopDelayP99Ms(() => sleep(1000)));
  pendingP99.push(
    await loopDelayP99Ms(async () => {
      // Completions spread over 0.2–1 s, as a busy host would deliver them.
      const calls = Array.from({ length: 256 }, (_, i) => hcs.getComputeSystemProperties(system, `{"N":${i},"T":"delay-${200 + ((i * 797) % 800)}"}`));
      await Promise.all(calls);
    }),
  );
}
await hcs.close();
console.log('(2) event-loop delay p99 (monitorEventLoopDelay, 1 ms resolution), median of 3 rounds:');
console.log(`    256 operations pending      ${median(pendingP99).toFixed(2)} ms`);
console.log(`    nothing pending (baseline)  ${median(idleP99).toFixed(2)} ms`);
console.log(`    ratio ${(median(pendingP99) / median(idleP99)).toFixed(2)}x the baseline (aim: p99 at most 10 ms)`);

if (sink === 0) throw new Error('nothing was measured');
