import type { ValidationIssue } from './errors.js';
import { showValue, throwIfIssues } from './argumentChecks.js';

// hcsshim's operation timeouts (hcs-host.md §1.9) and the environment variables that override
// them. Those for hcsshim tools uvm does not have (tar2vhd, external commands, test retry loops) are
// left out, so a stray value in one of their variables cannot break a UVM start.

/** How long uvm waits for each HCS phase, in milliseconds. */
export interface HcsTimeouts {
  /** Creating a compute system. */
  readonly systemCreate: number;
  /** Starting a compute system. */
  readonly systemStart: number;
  /** Pausing a compute system. */
  readonly systemPause: number;
  /** Resuming a compute system. */
  readonly systemResume: number;
  /** Saving a compute system. */
  readonly systemSave: number;
  /** After this long a native call still running is logged as a warning; it is never abandoned. */
  readonly syscallWatcher: number;
  /** The whole "start the VM, accept the entropy, log and GCS connections, handshake" phase. */
  readonly gcsConnection: number;
}

const MINUTE = 60_000;

/** hcsshim's defaults: four minutes for each, two for the GCS connection. */
export const DEFAULT_HCS_TIMEOUTS: HcsTimeouts = Object.freeze({
  systemCreate: 4 * MINUTE,
  systemStart: 4 * MINUTE,
  systemPause: 4 * MINUTE,
  systemResume: 4 * MINUTE,
  systemSave: 4 * MINUTE,
  syscallWatcher: 4 * MINUTE,
  gcsConnection: 2 * MINUTE,
});

/** The environment variable that overrides each timeout, holding a positive whole number of seconds. */
export const HCS_TIMEOUT_ENV_VARS: { readonly [K in keyof HcsTimeouts]: string } = Object.freeze({
  systemCreate: 'HCSSHIM_TIMEOUT_SYSTEMCREATE',
  systemStart: 'HCSSHIM_TIMEOUT_SYSTEMSTART',
  systemPause: 'HCSSHIM_TIMEOUT_SYSTEMPAUSE',
  systemResume: 'HCSSHIM_TIMEOUT_SYSTEMRESUME',
  systemSave: 'HCSSHIM_TIMEOUT_SYSTEMSAVE',
  syscallWatcher: 'HCSSHIM_TIMEOUT_SYSCALLWATCHER',
  gcsConnection: 'HCSSHIM_TIMEOUT_GCSCONNECTION',
});

// Node's timers fire at once (with a warning) when asked to wait longer than 2^31 - 1 ms.
const MAX_SECONDS = Math.floor(0x7fffffff / 1000);

/**
 * The timeouts with the `HCSSHIM_TIMEOUT_*` overrides found in `env` (pass `process.env`) applied.
 * Each variable holds a positive whole number of seconds; any other value, including an empty
 * one, is a ValidationError naming the variable (all bad variables are listed at once).
 */
export function timeoutsFromEnv(env: Readonly<Record<string, string | undefined>>): HcsTimeouts {
  const timeouts: { -readonly [K in keyof HcsTimeouts]: number } = { ...DEFAULT_HCS_TIMEOUTS };
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(HCS_TIMEOUT_ENV_VARS) as (keyof HcsTimeouts)[]) {
    const name = HCS_TIMEOUT_ENV_VARS[key];
    const text = env[name];
    if (text === undefined) continue;
    const seconds = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
    if (seconds >= 1 && seconds <= MAX_SECONDS) {
      timeouts[key] = seconds * 1000;
    } else {
      issues.push({
        path: `/${name}`,
        message: `${name} must be a whole number of seconds from 1 to ${MAX_SECONDS}; got ${showValue(text)}. Unset it to use the default of ${DEFAULT_HCS_TIMEOUTS[key] / 1000} seconds.`,
      });
    }
  }
  throwIfIssues('HCS timeout environment', issues);
  return Object.freeze(timeouts);
}
