#!/usr/bin/env node
// @ts-check
// Fails when a package depends on or imports what the layer matrix of DESIGN.md §1 forbids, imports
// something its package.json does not declare, or reaches past another package's exports.
import { fileURLToPath } from 'node:url';
import { checkRepository } from './layerCheck.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const problems = checkRepository(process.argv[2] ?? root);
for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
if (problems.length > 0) {
  console.error(`\nlayer check: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  process.exitCode = 1;
} else {
  console.log('layer check: every import and dependency respects the layer matrix');
}
