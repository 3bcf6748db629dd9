// Validation plus serialization of a full LCOW document against the floor of JSON.parse plus
// JSON.stringify of the same document. Run with `npx pnpm@12.21.0 --filter @uvm/types bench`
// (after a build); not part of the tests.
import { readFileSync } from 'node:fs';
import { toHcsJson, validateComputeSystem } from '@uvm/types';

const text = readFileSync(new URL('../../../docs/examples/lcow-full.json', import.meta.url), 'utf8');
const doc: unknown = JSON.parse(text);
const ROUNDS = 5;
const MIN_MS = 1000;
let sink = 0;

function uvm(): void {
  const result = validateComputeSystem(doc);
  if (!result.ok) throw new Error('lcow-full.json no longer validates');
  sink += toHcsJson(result.value).length;
}

function floor(): void {
  sink += JSON.stringify(JSON.parse(text)).length;
}

/** Documents per second: whole batches until at least MIN_MS have passed. */
function rate(fn: () => void): number {
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (let i = 0; i < 1000; i++) fn();
    iterations += 1000;
    elapsed = performance.now() - start;
  }
  return (iterations * 1000) / elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const format = (n: number) => `${Math.round(n).toLocaleString('en-US')} docs/s`;

rate(uvm); // warm up: compile the validator and the writer, let the JIT settle
rate(floor);
const uvmRates: number[] = [];
const floorRates: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  uvmRates.push(rate(uvm));
  floorRates.push(rate(floor));
  console.log(`round ${round}: validate + toHcsJson ${format(uvmRates.at(-1) ?? 0)}, JSON.parse + JSON.stringify ${format(floorRates.at(-1) ?? 0)}`);
}
const ratio = median(floorRates) / median(uvmRates);
console.log(`lcow-full.json (${text.length} bytes), median of ${ROUNDS} rounds:`);
console.log(`  validateComputeSystem + toHcsJson  ${format(median(uvmRates))}`);
console.log(`  JSON.parse + JSON.stringify        ${format(median(floorRates))}`);
console.log(`  ratio ${ratio.toFixed(2)}x the floor (aim: at most 2x)`);
// Using the results keeps the engine from optimising the work away.
if (sink === 0) throw new Error('nothing was measured');
