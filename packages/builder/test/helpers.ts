import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { ValidationError, type HostFacts, type ValidationIssue } from '@uvm/types';

/** Windows Server 2025 on amd64 with 8 logical processors: the host of docs/examples/lcow-default.json. */
export const HOST: HostFacts = { windowsBuild: 26100, architecture: 'amd64', logicalProcessorCount: 8 };

export const BOOT_DIR = 'C:\\ContainerPlat\\LinuxBootFiles';

/** A parsed file of docs/examples (shared fixtures owned by @uvm/types). */
export function example(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../docs/examples/${name}`, import.meta.url), 'utf8'));
}

/** The issues of the ValidationError `run` throws; fails when it returns or throws anything else. */
export function issuesOf(run: () => unknown): readonly ValidationIssue[] {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  return (caught as ValidationError).issues;
}

/** The paths of the issues `run` throws. */
export function issuePaths(run: () => unknown): string[] {
  return issuesOf(run).map((i) => i.path);
}

/** A GUID source that counts, so documents with vPCI devices are exact. */
export function countingGuids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

export const SCSI = [
  'df6d0690-79e5-55b6-a5ec-c1e2f77f580a',
  '0110f83b-de10-5172-a266-78bca56bf50a',
  'b5d2d8d4-3a75-51bf-945b-3444dc6b8579',
  '305891a9-b251-5dfe-91a2-c25d9212275b',
] as const;
