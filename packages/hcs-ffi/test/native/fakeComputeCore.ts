import koffi from 'koffi';
import { buildFakeComputeCore, type FakeVariant } from './buildFakeComputeCore.js';

/** The fake's test-only exports: its counters and its event injector. */
export interface FakeControls {
  /** Path of the compiled library, for openComputeCore / loadHcsApi. */
  readonly libraryPath: string;
  /** The freeString option that matches the fake (its FakeFree). */
  readonly freeString: { readonly library: string; readonly symbol: string };
  openHandles(): number;
  liveCallbacks(): number;
  unfreedStrings(): number;
  badFrees(): number;
  cancelCalls(): number;
  accessCalls(): number;
  setDelayMs(ms: number): void;
  /** The next `count` HcsCreateOperation calls return NULL. */
  failNextCreateOperations(count: number): void;
  /** The next event-callback registration fails with `hresult`. */
  failNextSetCallback(hresult: number): void;
  /** Queues a system event from the fake's scheduler thread. */
  emitSystemEvent(systemId: string, type: number, data: string | null, delayMs?: number): number;
}

const controls = new Map<FakeVariant, FakeControls>();

export function fakeComputeCore(variant: FakeVariant = 'current'): FakeControls {
  const known = controls.get(variant);
  if (known !== undefined) return known;
  const libraryPath = buildFakeComputeCore(variant);
  const lib = koffi.load(libraryPath);
  const counter = (name: string) => {
    const fn = lib.func(`int64_t ${name}(void)`) as () => number | bigint;
    return () => Number(fn());
  };
  const setDelay = lib.func('void FakeSetDelayMs(uint32_t ms)') as (ms: number) => void;
  const emit = lib.func('int32_t FakeEmitSystemEvent(const char16_t *id, uint32_t type, const char16_t *data, uint32_t delayMs)') as (
    id: string,
    type: number,
    data: string | null,
    delay: number,
  ) => number;
  const failCreate = lib.func('void FakeFailNextCreateOperations(int32_t count)') as (count: number) => void;
  const failCallback = lib.func('void FakeFailNextSetCallback(int32_t hr)') as (hr: number) => void;
  const made: FakeControls = {
    libraryPath,
    freeString: { library: libraryPath, symbol: 'FakeFree' },
    openHandles: counter('FakeOpenHandles'),
    liveCallbacks: counter('FakeLiveCallbacks'),
    unfreedStrings: counter('FakeUnfreedStrings'),
    badFrees: counter('FakeBadFrees'),
    cancelCalls: counter('FakeCancelCalls'),
    accessCalls: counter('FakeAccessCalls'),
    setDelayMs: (ms) => {
      setDelay(ms);
    },
    failNextCreateOperations: (count) => {
      failCreate(count);
    },
    failNextSetCallback: (hresult) => {
      failCallback(hresult | 0);
    },
    emitSystemEvent: (id, type, data, delayMs = 0) => emit(id, type, data, delayMs),
  };
  controls.set(variant, made);
  return made;
}
