import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Packages whose tests load koffi run in child processes: koffi misbehaves in worker threads
// (ecosystem.md §1.10 item 2).
const forkedPackages = new Set(['hcs-ffi', 'integration']);

const packageProjects = readdirSync(at('./packages/'))
  .filter((name) => existsSync(at(`./packages/${name}/test/`)))
  .map((name) => ({
    // Tests import each package by its public name; this condition points that name at its
    // source, so `vitest run` needs no build first.
    ssr: { resolve: { conditions: ['@uvm/source'] } },
    test: {
      name: `@uvm/${name}`,
      root: at(`./packages/${name}/`),
      include: ['test/**/*.test.ts'],
      pool: forkedPackages.has(name) ? ('forks' as const) : ('threads' as const),
      testTimeout: 20_000,
    },
  }));

export default defineConfig({
  test: {
    projects: [
      ...packageProjects,
      { test: { name: 'tools', root: at('./tools/'), include: ['test/**/*.test.js'], pool: 'threads' } },
    ],
  },
});
