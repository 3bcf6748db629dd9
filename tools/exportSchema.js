#!/usr/bin/env node
// @ts-check
// Writes docs/schema/compute-system.schema.json from the built @uvm/types, so tools outside
// TypeScript can validate HCS documents. `npx pnpm@12.21.0 schema:export` builds first; a test in
// packages/types fails while the checked-in file differs from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = pathToFileURL(`${root}packages/types/dist/index.js`).href;
const target = `${root}docs/schema/compute-system.schema.json`;

/** @type {unknown} */
let loaded;
try {
  loaded = await import(built);
} catch (error) {
  console.error(`Cannot load ${built}: build @uvm/types first (npx pnpm@12.21.0 turbo run build --filter=@uvm/types).`);
  console.error(String(error));
  process.exit(1);
}

const types = /** @type {{ computeSystemJsonSchema: () => unknown }} */ (loaded);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(types.computeSystemJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
