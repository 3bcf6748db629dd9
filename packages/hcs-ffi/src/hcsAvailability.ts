import { existsSync } from 'node:fs';
import koffi from 'koffi';
import type { HcsUnavailableReason } from '@uvm/types';
import { defaultComputeCorePath } from './hcsApi.js';

/** Whether HCS can be used here; when not, why and what to do instead. */
export type HcsAvailability =
  | { readonly available: true }
  | { readonly available: false; readonly reason: HcsUnavailableReason; readonly message: string };

/** Options for {@link hcsAvailability}. */
export interface HcsAvailabilityOptions {
  /** A library to use instead of Windows' computecore.dll (a test double); only its loading is checked. */
  readonly libraryPath?: string;
}

const USE_SIMULATOR = "To run uvm without HCS, pass an Hcs from @uvm/sim's createHcsSimulator() instead.";

const unavailable = (reason: HcsUnavailableReason, message: string): HcsAvailability => ({
  available: false,
  reason,
  message: `${message} ${USE_SIMULATOR}`,
});

/**
 * Says whether the Host Compute Service can be used from this process: Windows, computecore.dll
 * present, the Hyper-V/Containers features (the vmcompute service) installed, and an elevated
 * process or a member of Hyper-V Administrators. Never throws.
 */
export function hcsAvailability(options: HcsAvailabilityOptions = {}): HcsAvailability {
  if (options.libraryPath !== undefined) return loadable(options.libraryPath);
  if (process.platform !== 'win32') {
    return unavailable('not-windows', `HCS is a Windows service and this machine runs ${process.platform}.`);
  }
  const library = defaultComputeCorePath();
  if (!existsSync(library)) {
    return unavailable(
      'library-missing',
      `${library} does not exist: HCS's API needs Windows 10 1809 / Windows Server 2019 (build 17763) or later.`,
    );
  }
  const root = library.slice(0, library.length - '\\computecore.dll'.length);
  if (!existsSync(`${root}\\vmcompute.exe`)) {
    return unavailable(
      'feature-disabled',
      'The Host Compute Service (vmcompute) is not installed. Enable the Hyper-V and Containers features ' +
        '(Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V,Containers) and reboot.',
    );
  }
  const privileged = isPrivileged();
  if (privileged === false) {
    return unavailable(
      'not-elevated',
      'HCS refuses callers that are neither elevated nor members of the Hyper-V Administrators group. ' +
        'Run from an administrator prompt, or add the user to "Hyper-V Administrators" and sign in again.',
    );
  }
  return loadable(library);
}

function loadable(path: string): HcsAvailability {
  if (!existsSync(path)) return unavailable('library-missing', `${path} does not exist.`);
  try {
    koffi.load(path);
    return { available: true };
  } catch (error) {
    return unavailable('load-failed', `${path} could not be loaded: ${(error as Error).message}.`);
  }
}

// S-1-5-32-<rid>: a BUILTIN alias SID in its binary form (revision 1, two sub-authorities).
function builtinSid(rid: number): Buffer {
  const sid = Buffer.alloc(16);
  sid.writeUInt8(1, 0);
  sid.writeUInt8(2, 1);
  sid.writeUInt8(5, 7); // SECURITY_NT_AUTHORITY {0,0,0,0,0,5}
  sid.writeUInt32LE(32, 8); // SECURITY_BUILTIN_DOMAIN_RID
  sid.writeUInt32LE(rid, 12);
  return sid;
}

const DOMAIN_ALIAS_RID_ADMINS = 544;
const DOMAIN_ALIAS_RID_HV_ADMINS = 578;

/**
 * True when the process token holds Administrators (enabled only when elevated, under UAC) or Hyper-V
 * Administrators; undefined when that cannot be determined, so HCS itself gets to decide.
 */
function isPrivileged(): boolean | undefined {
  try {
    const advapi32 = koffi.load('advapi32.dll');
    const checkTokenMembership = advapi32.func('int __stdcall CheckTokenMembership(void *token, const void *sid, _Out_ int *isMember)') as (
      token: null,
      sid: Buffer,
      isMember: number[],
    ) => number;
    for (const rid of [DOMAIN_ALIAS_RID_ADMINS, DOMAIN_ALIAS_RID_HV_ADMINS]) {
      const member = [0];
      if (checkTokenMembership(null, builtinSid(rid), member) === 0) return undefined;
      if (member[0] !== 0) return true;
    }
    return false;
  } catch {
    return undefined;
  }
}
