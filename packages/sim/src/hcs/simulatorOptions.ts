import { ValidationError, type Logger, type ValidationIssue } from '@uvm/types';
import { SIMULATED_CALLS, isSimulatedCall, type SimulatedCall } from './simulatedCall.js';
import type { SimulatedGuest } from './simulatedGuest.js';
import type { SimulatedProcess } from './simulatedProcess.js';

/** How long each call takes before it answers, in milliseconds. */
export type LatencySpec = number | { readonly default?: number; readonly calls?: { readonly [K in SimulatedCall]?: number } };

/** The host the simulator stands for. */
export interface SimulatedHost {
  readonly windowsBuild: number;
  readonly architecture: 'amd64' | 'arm64';
  readonly logicalProcessorCount: number;
}

export interface HcsSimulatorOptions {
  /** Delay of every call (one number) or of each kind of call; default 0, answered on a later turn of the event loop. */
  readonly latency?: LatencySpec;
  /** Milliseconds since the epoch, read for timestamps and statistics; default `Date.now`. Inject one to make statistics deterministic. */
  readonly clock?: () => number;
  /** The host's Windows build, architecture and logical processors; default 26100, amd64, 8. */
  readonly host?: Partial<SimulatedHost>;
  /** Called when a VM starts, with the guest's view of it: connect a GCS peer here. */
  readonly guest?: (vm: SimulatedGuest) => void | Promise<void>;
  /** Called when a process is created in a VM; plays it (stdio and exit). Without it a process runs until it is terminated. */
  readonly process?: (process: SimulatedProcess) => void;
  /** How long a guest takes to shut down once HcsShutDownComputeSystem is accepted, in ms; default 0. */
  readonly shutdownDelayMs?: number;
  /** Check documents strictly (unknown keys rejected); default true. False lets unknown keys through, as newer builds accept more. */
  readonly strict?: boolean;
  /** Where listener exceptions and guest-hook failures are reported; silent by default. */
  readonly logger?: Logger;
}

/** The host a simulator stands for when its options say nothing. */
export const DEFAULT_SIMULATED_HOST: SimulatedHost = Object.freeze({ windowsBuild: 26100, architecture: 'amd64', logicalProcessorCount: 8 });

export function checkLatency(latency: unknown): void {
  const bad = (v: unknown) => typeof v !== 'number' || !Number.isFinite(v) || v < 0;
  const issues: ValidationIssue[] = [];
  if (typeof latency === 'number') {
    if (bad(latency)) issues.push({ path: '', message: `The latency must be a number of milliseconds ≥ 0; got ${latency}.` });
  } else if (typeof latency === 'object' && latency !== null) {
    const spec = latency as { default?: unknown; calls?: unknown };
    if (spec.default !== undefined && bad(spec.default)) issues.push({ path: '/default', message: 'default must be a number of milliseconds ≥ 0.' });
    if (spec.calls !== undefined) {
      if (typeof spec.calls !== 'object' || spec.calls === null) issues.push({ path: '/calls', message: 'calls must map call names to milliseconds.' });
      else {
        for (const [call, ms] of Object.entries(spec.calls)) {
          if (!isSimulatedCall(call)) issues.push({ path: `/calls/${call}`, message: `"${call}" is not a simulated call; use one of ${SIMULATED_CALLS.join(', ')}.` });
          else if (bad(ms)) issues.push({ path: `/calls/${call}`, message: `The latency of ${call} must be a number of milliseconds ≥ 0.` });
        }
      }
    }
  } else {
    issues.push({ path: '', message: 'The latency must be a number of milliseconds or { default?, calls? }.' });
  }
  if (issues.length > 0) throw new ValidationError('latency', issues);
}


export function checkOptions(options: HcsSimulatorOptions): void {
  const issues: ValidationIssue[] = [];
  if (options.shutdownDelayMs !== undefined && (!Number.isFinite(options.shutdownDelayMs) || options.shutdownDelayMs < 0)) {
    issues.push({ path: '/shutdownDelayMs', message: 'shutdownDelayMs must be a number of milliseconds ≥ 0.' });
  }
  const host = options.host;
  if (host?.windowsBuild !== undefined && (!Number.isSafeInteger(host.windowsBuild) || host.windowsBuild <= 0)) {
    issues.push({ path: '/host/windowsBuild', message: 'windowsBuild must be a positive whole number such as 26100.' });
  }
  const architecture: unknown = host?.architecture;
  if (architecture !== undefined && architecture !== 'amd64' && architecture !== 'arm64') {
    issues.push({ path: '/host/architecture', message: 'architecture must be "amd64" or "arm64".' });
  }
  if (host?.logicalProcessorCount !== undefined && (!Number.isSafeInteger(host.logicalProcessorCount) || host.logicalProcessorCount <= 0)) {
    issues.push({ path: '/host/logicalProcessorCount', message: 'logicalProcessorCount must be a positive whole number.' });
  }
  for (const key of ['clock', 'guest', 'process'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') issues.push({ path: `/${key}`, message: `${key} must be a function.` });
  }
  if (issues.length > 0) throw new ValidationError('HCS simulator options', issues);
}

