// The whole life of 1,000 simulated VMs (create, start, terminate, close) at concurrency 64,
// through UtilityVM and through the simulator's Hcs interface directly, in the same run. Run with
// `npx pnpm@12.21.0 --filter @uvm/integration bench` (after a build); not part of the tests.
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

/** The same HCS calls UtilityVM makes: the bare ones plus reading the runtime id after create (hcs-host.md §3). */
const directSameCalls: Lifecycle = async (sim, id) => {
  const system = await sim.createComputeSystem(id, document);
  await sim.getComputeSystemProperties(system, {});
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

// Warm up every path (compile validators and writers, let the JIT settle), then alternate batches
// so all paths see the same machine: each trio gives paired ratios, and medians resist noise. The
// order within a trio rotates, so no path always runs right after another (and pays for the
// garbage the other left behind).
for (let i = 0; i < 3; i++) {
  await batch(direct);
  await batch(directSameCalls);
  await batch(throughUtilityVm);
}
const paths = [direct, directSameCalls, throughUtilityVm] as const;
let rotation = 0;
/** One batch of each path, starting with a different one each time: [direct, same calls, UtilityVM]. */
async function trio(): Promise<Array<{ readonly wallMs: number; readonly cpuMs: number }>> {
  const results: Array<{ readonly wallMs: number; readonly cpuMs: number }> = [];
  for (let k = 0; k < paths.length; k++) {
    const index = (rotation + k) % paths.length;
    results[index] = await batch(paths[index] as Lifecycle);
  }
  rotation++;
  return results;
}
const rates = { direct: [] as number[], same: [] as number[], vm: [] as number[] };
const ratios = { wall: [] as number[], cpu: [] as number[], sameWall: [] as number[], sameCpu: [] as number[] };
for (let round = 1; round <= ROUNDS; round++) {
  let trios = 0;
  const ms = { direct: 0, same: 0, vm: 0 };
  const started = performance.now();
  while (performance.now() - started < MIN_MS) {
    const [a, b, c] = await trio();
    if (a === undefined || b === undefined || c === undefined) throw new Error('a trio ran fewer than three batches');
    ms.direct += a.wallMs;
    ms.same += b.wallMs;
    ms.vm += c.wallMs;
    ratios.wall.push(c.wallMs / a.wallMs);
    ratios.cpu.push(c.cpuMs / a.cpuMs);
    ratios.sameWall.push(c.wallMs / b.wallMs);
    ratios.sameCpu.push(c.cpuMs / b.cpuMs);
    trios++;
  }
  rates.direct.push((trios * VMS * 1000) / ms.direct);
  rates.same.push((trios * VMS * 1000) / ms.same);
  rates.vm.push((trios * VMS * 1000) / ms.vm);
  console.log(
    `round ${round}: UtilityVM ${format(rates.vm.at(-1) ?? 0)}, simulator directly ${format(rates.direct.at(-1) ?? 0)}, with the runtime-id read ${format(rates.same.at(-1) ?? 0)} (${trios} batches each)`,
  );
}
const ops = (n: number) => `${Math.round(n * 4).toLocaleString('en-US')} operations/s`;
console.log(`${VMS} VMs per batch, ${CONCURRENCY} at a time, create + start + terminate + close; medians over ${ROUNDS} rounds of at least ${MIN_MS} ms:`);
console.log(`  through UtilityVM                         ${format(median(rates.vm))} (${ops(median(rates.vm))})`);
console.log(`  simulator directly (bare calls)           ${format(median(rates.direct))} (${ops(median(rates.direct))})`);
console.log(`  simulator directly, same calls as UtilityVM ${format(median(rates.same))} (${ops(median(rates.same))})`);
console.log(`  UtilityVM / bare calls: ${median(ratios.wall).toFixed(2)}x the wall time, ${median(ratios.cpu).toFixed(2)}x the CPU time (aim: at most 1.3x)`);
console.log(`  UtilityVM / same calls: ${median(ratios.sameWall).toFixed(2)}x the wall time, ${median(ratios.sameCpu).toFixed(2)}x the CPU time`);
console.log(`  (medians of ${ratios.wall.length} paired batches)`);
