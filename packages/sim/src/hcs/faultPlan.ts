import { ValidationError, isFailure, showValue, type HcsErrorEvent, type ValidationIssue } from '@uvm/types';
import { SIMULATED_CALLS, isSimulatedCall, type SimulatedCall } from './simulatedCall.js';

/** A failure to inject: the `nth` call of kind `call` (counted from now) fails with `hresult`. */
export interface FaultSpec {
  readonly call: SimulatedCall;
  /** Which matching call fails: 1 (the default) is the next one. */
  readonly nth?: number;
  /** Count only calls about this compute system. */
  readonly systemId?: string;
  /** The HRESULT of the failure; must have the failure bit set. */
  readonly hresult: number;
  /** The result document's `ErrorMessage`. */
  readonly errorMessage?: string;
  /** The result document's `ErrorEvents`, which the resulting `HcsError` carries. */
  readonly errorEvents?: readonly HcsErrorEvent[];
}

/** A fault that has been injected; `fired` turns true when a call consumed it. */
export interface InjectedFault {
  readonly spec: FaultSpec;
  readonly fired: boolean;
  /** Withdraws the fault if it has not fired. */
  cancel(): void;
}

class Fault implements InjectedFault {
  fired = false;
  cancelled = false;
  remaining: number;

  constructor(readonly spec: FaultSpec) {
    this.remaining = spec.nth ?? 1;
  }

  cancel(): void {
    this.cancelled = true;
  }
}

/** The faults waiting for their call. A call takes at most one fault: the first that comes due. */
export class FaultPlan {
  private readonly faults: Fault[] = [];

  add(spec: FaultSpec): InjectedFault {
    checkSpec(spec);
    const fault = new Fault({ ...spec });
    this.faults.push(fault);
    return fault;
  }

  /** Counts a call and returns the fault it must fail with, if one comes due. */
  take(call: SimulatedCall, systemId: string | undefined): FaultSpec | undefined {
    if (this.faults.length === 0) return undefined;
    let due: Fault | undefined;
    for (const fault of this.faults) {
      if (fault.cancelled || fault.spec.call !== call) continue;
      if (fault.spec.systemId !== undefined && fault.spec.systemId !== systemId) continue;
      fault.remaining--;
      if (fault.remaining === 0 && due === undefined) due = fault;
    }
    if (due !== undefined) due.fired = true;
    for (let i = this.faults.length - 1; i >= 0; i--) {
      const f = this.faults[i] as Fault;
      if (f.cancelled || f.fired) this.faults.splice(i, 1);
    }
    return due?.spec;
  }

  get pending(): number {
    return this.faults.length;
  }
}

function checkSpec(value: unknown): asserts value is FaultSpec {
  const issues: ValidationIssue[] = [];
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError('fault', [{ path: '', message: 'A fault must be an object { call, hresult, nth?, systemId?, errorMessage?, errorEvents? }.' }]);
  }
  const spec = value as Partial<Record<keyof FaultSpec, unknown>>;
  if (!isSimulatedCall(spec.call)) {
    issues.push({ path: '/call', message: `call must name an Hcs method the simulator answers (${SIMULATED_CALLS.join(', ')}); got ${showValue(spec.call)}.` });
  }
  if (spec.nth !== undefined && (typeof spec.nth !== 'number' || !Number.isSafeInteger(spec.nth) || spec.nth < 1)) {
    issues.push({ path: '/nth', message: `nth must be a whole number from 1 (the next matching call); got ${showValue(spec.nth)}.` });
  }
  if (typeof spec.hresult !== 'number' || !Number.isInteger(spec.hresult) || !isFailure(spec.hresult)) {
    issues.push({ path: '/hresult', message: `hresult must be a failure HRESULT (severity bit set, e.g. 0x80370118); got ${showValue(spec.hresult)}.` });
  }
  if (spec.errorEvents !== undefined && !Array.isArray(spec.errorEvents)) {
    issues.push({ path: '/errorEvents', message: 'errorEvents must be an array of { message, provider?, eventId?, ... }.' });
  }
  if (issues.length > 0) throw new ValidationError('fault', issues);
}
