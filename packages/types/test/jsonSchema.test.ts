import { readFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { computeSystemJsonSchema } from '@uvm/types';

const repo = (path: string) => new URL(`../../../${path}`, import.meta.url);
const checkedIn = readFileSync(repo('docs/schema/compute-system.schema.json'), 'utf8');
const lcowFull = JSON.parse(readFileSync(repo('docs/examples/lcow-full.json'), 'utf8')) as Record<string, unknown>;

describe('computeSystemJsonSchema', () => {
  it('matches the checked-in docs/schema/compute-system.schema.json', () => {
    // tools/exportSchema.js writes exactly this text.
    const current = `${JSON.stringify(computeSystemJsonSchema(), null, 2)}\n`;
    if (current !== checkedIn) {
      expect.fail('docs/schema/compute-system.schema.json is stale: run `npx pnpm@12.21.0 schema:export` and commit the result.');
    }
  });

  it('is a draft 2020-12 document with an id and a title', () => {
    const schema = computeSystemJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('urn:uvm:hcs:schema2:ComputeSystem');
    expect(schema.title).toBe('ComputeSystem');
  });

  it('returns a fresh object each time', () => {
    const a = computeSystemJsonSchema();
    const b = computeSystemJsonSchema();
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
  });

  it('defines every type once and resolves every reference', () => {
    const schema = computeSystemJsonSchema();
    const defs = schema.$defs as Record<string, unknown>;
    const refs = [...JSON.stringify(schema).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) expect(defs[ref.replace('#/$defs/', '')], ref).toBeDefined();
    expect(Object.keys(defs)).toEqual(expect.arrayContaining(['VirtualMachine', 'Devices', 'NumaProcessors', 'ObjectDirectory', 'MemoryBackingType']));
    expect(JSON.stringify(schema)).not.toContain('x-go');
  });

  it('validates documents on its own, as a plain JSON Schema, the same way as the TypeBox schemas', () => {
    const validator = Compile(computeSystemJsonSchema() as never);
    expect(validator.Check(lcowFull)).toBe(true);
    expect(validator.Check({ ...lcowFull, Owner: 7 })).toBe(false);
    expect(validator.Check({ VirtualMachine: { ComputeTopology: { Memory: { SizeInMb: 1 } } } })).toBe(false);
    expect(validator.Check({ VirtualMachine: { ComputeTopology: { Processor: { NumaProcessorsSettings: { node_per_socket: 1 } } } } })).toBe(false);
  });
});
