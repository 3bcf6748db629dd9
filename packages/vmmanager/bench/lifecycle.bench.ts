// The whole life of 1,000 simulated VMs (create, start, terminate, close) at concurrency 64,
// through UtilityVM and through the simulator's Hcs interface directly, in the same run. Run with
// `npx pnpm@12.21.0 --filter @uvm/vmmanager bench` (after a build); not part of the tests.
import { readFileSync } from 'node:fs';
import type { ComputeSystem } from '@uvm/types';
import { createHcsSimulator, type HcsSimulator } from '@uvm/sim';
import { UtilityVM } from '@uvm/vmmanager';

const VMS = 1000;
const CONCURRENCY = 64;
const ROUNDS = 5;
const MIN_MS = 1000;
const document = JSON.parse(readFileSync(new URL('../../../docs/examples/lcow-default.json', import.meta.url), 'utf8')) as ComputeSystem;

type Lifecycle = (sim: HcsSimulator, id: string) => Promise<void>;

/** What UtilityVM does for its callers, spelled out with the bare Hcs calls. */
const direct: Lifecycle = async (sim, id) => {
  const system = await sim.createComputeSystem(id, document);
  await sim.startComputeSystem(system);
  await sim.terminateComputeSystem(system);
  await sim.waitForComputeSystemExit(system);
  await sim.closeComputeSystem(system);
};

const throughUtilityVm: Lifecycle = async (sim, id) => {
  const vm = await UtilityVM.create(id, document, { hcs: sim });
  await vm.start();
  await vm.terminate();
  await vm.close();
};

/** Runs VMS lifecycles with CONCURRENCY in flight on a fresh simulator: wall and CPU milliseconds. */
async function batch(lifecycle: Lifecycle): Promise<{ readonly wallMs: number; readonly cpuMs: number }> {
  const sim = createHcsSimulator();
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < VMS) await lifecycle(sim, `vm-${next++}`);
    }),
  );
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const counters = sim.counters();
  if (counters.systems !== 0 || counters.systemHandles !== 0 || counters.pendingOperations !== 0) {
    throw new Error(`the run leaked: ${JSON.stringify(counters)}`);
  }
  await sim.close();
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const format = (n: number) => `${Math.round(n).toLocaleString('en-US')} VMs/s`;

// Warm up both paths (compile validators and writers, let the JIT settle), then alternate batches
// so both sides see the same machine: each pair gives one ratio, and the medians resist noise.
for (let i = 0; i < 3; i++) {
  await batch(direct);
  await batch(throughUtilityVm);
}
const directRates: number[] = [];
const vmRates: number[] = [];
const wallRatios: number[] = [];
const cpuRatios: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  let pairs = 0;
  let directMs = 0;
  let vmMs = 0;
  const started = performance.now();
  while (performance.now() - started < MIN_MS) {
    const a = await batch(direct);
    const b = await batch(throughUtilityVm);
    directMs += a.wallMs;
    vmMs += b.wallMs;
    wallRatios.push(b.wallMs / a.wallMs);
    cpuRatios.push(b.cpuMs / a.cpuMs);
    pairs++;
  }
  directRates.push((pairs * VMS * 1000) / directMs);
  vmRates.push((pairs * VMS * 1000) / vmMs);
  console.log(`round ${round}: UtilityVM ${format(vmRates.at(-1) ?? 0)}, simulator directly ${format(directRates.at(-1) ?? 0)} (${pairs} batches each)`);
}
console.log(`${VMS} VMs per batch, ${CONCURRENCY} at a time, create + start + terminate + close; medians over ${ROUNDS} rounds of at least ${MIN_MS} ms:`);
console.log(`  through UtilityVM     ${format(median(vmRates))} (${Math.round(median(vmRates) * 4).toLocaleString('en-US')} operations/s)`);
console.log(`  simulator directly    ${format(median(directRates))} (${Math.round(median(directRates) * 4).toLocaleString('en-US')} operations/s)`);
console.log(`  UtilityVM / direct: ${median(wallRatios).toFixed(2)}x the wall time, ${median(cpuRatios).toFixed(2)}x the CPU time (median of ${wallRatios.length} paired batches; aim: at most 1.3x)`);
