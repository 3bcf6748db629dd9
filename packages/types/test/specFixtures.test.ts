import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The copies in fixtures/spec/ keep the tests runnable on a clean clone; where the project's spec
// sits beside the repository (shared/spec/), they must not have drifted from it.
const shared = new URL('../../../../shared/spec/', import.meta.url);

describe('spec fixtures', () => {
  for (const name of ['hcs-schema2-fields.json', 'gcs-protocol-fields.json']) {
    it.skipIf(!existsSync(new URL(name, shared)))(`${name} is the spec's own file, unchanged`, () => {
      const copy = readFileSync(new URL(`./fixtures/spec/${name}`, import.meta.url), 'utf8');
      expect(copy).toBe(readFileSync(new URL(name, shared), 'utf8'));
    });
  }
});
