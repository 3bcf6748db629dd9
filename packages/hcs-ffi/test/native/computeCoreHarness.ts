import { afterEach, beforeEach, expect } from 'vitest';
import { nativeStats, openComputeCore, type ComputeCore, type OpenComputeCoreOptions } from '@uvm/hcs-ffi';
import { fakeComputeCore, type FakeControls } from './fakeComputeCore.js';

export interface ComputeCoreHarness {
  readonly fake: FakeControls;
  /** The backend under test, opened fresh for each test. */
  readonly hcs: ComputeCore;
  /** An id no other test uses, so systems never collide in the fake. */
  uniqueId(label: string): string;
  /** Closes the test's ComputeCore and opens another over the fake with extra options (a logger). */
  reopen(options: Omit<OpenComputeCoreOptions, 'libraryPath' | 'freeString'>): Promise<ComputeCore>;
}

/**
 * Opens a ComputeCore over the C fake before each test of the calling file, and after each test
 * closes it and checks that nothing leaked: handles, event registrations, strings HCS handed out,
 * frees of memory it did not hand out, pending operations and keep-alive holds.
 */
export function useComputeCore(): ComputeCoreHarness {
  const fake = fakeComputeCore();
  let current: ComputeCore | undefined;
  let counter = 0;
  const open = (options: Omit<OpenComputeCoreOptions, 'libraryPath' | 'freeString'> = {}) =>
    openComputeCore({ ...options, libraryPath: fake.libraryPath, freeString: fake.freeString });
  beforeEach(() => {
    fake.setDelayMs(5);
    current = open();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
    expect(fake.openHandles()).toBe(0);
    expect(fake.liveCallbacks()).toBe(0);
    expect(fake.unfreedStrings()).toBe(0);
    expect(fake.badFrees()).toBe(0);
    expect(nativeStats()).toMatchObject({ pendingOperations: 0, eventRegistrations: 0, keepAliveHolds: 0 });
  });
  return {
    fake,
    get hcs() {
      if (current === undefined) throw new Error('the ComputeCore harness is only open inside a test');
      return current;
    },
    uniqueId: (label) => `${label}-${process.pid}-${++counter}`,
    async reopen(options) {
      await current?.close();
      current = open(options);
      return current;
    },
  };
}
