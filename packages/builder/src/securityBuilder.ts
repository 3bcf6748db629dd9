import {
  HVSOCK_SECURITY_DESCRIPTOR,
  MAX_VSOCK_PORT,
  showValue,
  vsockServiceId,
  type GuestState,
  type HvSocketServiceConfig,
  type SecuritySettings,
  type VmIsolationType,
} from '@uvm/types';
import type { BuilderCore } from './builderCore.js';
import type { HvSocketOverride } from './devicesBuilder.js';
import { DocPath } from './documentPaths.js';
import type { IssueList } from './issueList.js';
import { launchDataFromPolicy } from './launchData.js';
import { isInteger, withoutUndefined } from './values.js';

/** Hardware isolation of a confidential VM. */
export interface IsolationOptions {
  /** `SecureNestedPaging` is AMD SEV-SNP. */
  readonly type: VmIsolationType;
  /** Base64 data the hardware measures at launch; see also `setLaunchDataFromPolicy`. */
  readonly launchData?: string;
  /** Host compatibility layer; written even when false. */
  readonly hclEnabled?: boolean;
  readonly debugHost?: string;
  readonly debugPort?: number;
}

/** The guest state (VMGS) file a confidential VM boots from. */
export interface GuestStateOptions {
  readonly guestStateFilePath: string;
  /** `FileMode` (confidential LCOW) or `BlockStorage` (confidential WCOW). */
  readonly guestStateFileType?: 'FileMode' | 'BlockStorage';
  readonly runtimeStateFilePath?: string;
  /** Discard guest state changes when the VM stops. */
  readonly forceTransientState?: boolean;
}

/**
 * Confidential computing (hcs-host.md §4.10): isolation, launch data, HCL, guest state file, a
 * locked-down HvSocket table, and TPM. Isolation raises the default schema version to 2.5.
 */
export interface SecurityBuilder {
  setIsolation(options: IsolationOptions): this;
  /** Launch data = base64 SHA-256 of the decoded base64 security policy, as hcsshim computes it. */
  setLaunchDataFromPolicy(securityPolicyBase64: string): this;
  setGuestState(options: GuestStateOptions): this;
  enableTpm(enabled?: boolean): this;
  /**
   * hcsshim's confidential HvSocket table: everyone may bind, only SYSTEM and Administrators may
   * connect, and each of `vsockPorts` gets a service entry allowing wildcard binds.
   */
  lockDownHvSocket(vsockPorts: readonly number[]): this;
}

export class SecurityBuilderImpl implements SecurityBuilder {
  #isolation: IsolationOptions | undefined;
  #policy: string | undefined;
  #guestState: GuestStateOptions | undefined;
  #tpm = false;
  #lockedPorts: readonly number[] | undefined;

  constructor(private readonly core: BuilderCore) {}

  setIsolation(options: IsolationOptions): this {
    this.core.guard(DocPath.isolation, 'The isolation options', () => (this.#isolation = { ...options }));
    return this;
  }

  setLaunchDataFromPolicy(securityPolicyBase64: string): this {
    this.#policy = securityPolicyBase64;
    return this;
  }

  setGuestState(options: GuestStateOptions): this {
    this.core.guard(DocPath.guestState, 'The guest state options', () => (this.#guestState = { ...options }));
    return this;
  }

  enableTpm(enabled = true): this {
    this.#tpm = enabled;
    return this;
  }

  lockDownHvSocket(vsockPorts: readonly number[]): this {
    this.core.guard(`${DocPath.hvSocketConfig}/ServiceTable`, 'The vsock ports', () => (this.#lockedPorts = [...vsockPorts]));
    return this;
  }

  get isolated(): boolean {
    return this.#isolation !== undefined;
  }

  compose(issues: IssueList): { securitySettings?: SecuritySettings; guestState?: GuestState } {
    let launchData = this.#isolation?.launchData;
    if (this.#policy !== undefined) {
      const digest = typeof this.#policy === 'string' ? launchDataFromPolicy(this.#policy) : { ok: false as const, reason: 'is not a string' };
      if (digest.ok) launchData = digest.value;
      else issues.add(`${DocPath.isolation}/LaunchData`, `Failed to create the security policy digest: the policy ${digest.reason}.`);
    }
    const i = this.#isolation;
    const isolation =
      i === undefined
        ? undefined
        : withoutUndefined({ IsolationType: i.type, DebugHost: i.debugHost, DebugPort: i.debugPort, LaunchData: launchData, HclEnabled: i.hclEnabled });
    if (i === undefined && this.#policy !== undefined) {
      issues.add(DocPath.isolation, 'Launch data from a security policy needs isolation settings: call security.setIsolation({ type }) as well.');
    }
    const g = this.#guestState;
    return withoutUndefined({
      securitySettings: isolation === undefined && !this.#tpm ? undefined : withoutUndefined<SecuritySettings>({ EnableTpm: this.#tpm || undefined, Isolation: isolation }),
      guestState:
        g === undefined
          ? undefined
          : withoutUndefined<GuestState>({
              GuestStateFilePath: g.guestStateFilePath,
              GuestStateFileType: g.guestStateFileType,
              RuntimeStateFilePath: g.runtimeStateFilePath,
              ForceTransientState: g.forceTransientState,
            }),
    });
  }

  /** The HvSocket settings the lock-down imposes over the caller's own, if it is on. */
  hvSocketLockDown(issues: IssueList): HvSocketOverride | undefined {
    const ports = this.#lockedPorts;
    if (ports === undefined) return undefined;
    const services: [string, HvSocketServiceConfig][] = [];
    for (const port of ports) {
      if (!(isInteger(port) && port >= 0 && port <= MAX_VSOCK_PORT)) {
        issues.add(`${DocPath.hvSocketConfig}/ServiceTable`, `The vsock port ${showValue(port)} must be an integer from 0 to ${MAX_VSOCK_PORT}.`);
        continue;
      }
      services.push([
        vsockServiceId(port),
        {
          BindSecurityDescriptor: HVSOCK_SECURITY_DESCRIPTOR.everyone,
          ConnectSecurityDescriptor: HVSOCK_SECURITY_DESCRIPTOR.systemAndAdministrators,
          AllowWildcardBinds: true,
        },
      ]);
    }
    return {
      defaults: { bindSecurityDescriptor: HVSOCK_SECURITY_DESCRIPTOR.everyone, connectSecurityDescriptor: HVSOCK_SECURITY_DESCRIPTOR.systemAndAdministrators },
      services,
    };
  }
}
