/**
 * What a guest says it can do, in its NegotiateProtocol response (gcs-bridge.md §3.4).
 */
import Type, { type Static } from 'typebox';
import type { ValidationIssue } from '../errors.js';
import { goField } from '../goJson.js';
import { struct } from '../goSchema.js';
import { VersionSchema, type Version } from '../hcs/schema/index.js';
import { describe } from './inputChecks.js';
import { kept } from './wireFields.js';

/**
 * The OS-specific feature flags of both guests (Windows' schema1 set, a superset of Linux's four),
 * each omitted when false.
 */
export const GuestDefinedCapabilitiesSchema = struct('GuestDefinedCapabilities', {
  /** Gates LCOW network hot-add/remove (Network Add/Remove). */
  NamespaceAddRequestSupported: Type.Optional(Type.Boolean()),
  /** Gates SignalProcess with options. */
  SignalProcessSupported: Type.Optional(Type.Boolean()),
  DumpStacksSupported: Type.Optional(Type.Boolean()),
  /** Gates DeleteContainerState. */
  DeleteContainerStateSupported: Type.Optional(Type.Boolean()),
  /** Windows only. */
  UpdateContainerSupported: Type.Optional(Type.Boolean()),
  /** Windows only: gates ModifyServiceSettings and log forwarding. */
  LogForwardingSupported: Type.Optional(Type.Boolean()),
  /** Windows only. */
  HostProcessContainerSupported: Type.Optional(Type.Boolean()),
});
export type GuestDefinedCapabilities = Static<typeof GuestDefinedCapabilitiesSchema>;

/** The four flags the Linux GCS defines, as it writes them. */
export const LinuxGuestDefinedCapabilitiesSchema = struct('LinuxGuestDefinedCapabilities', {
  NamespaceAddRequestSupported: Type.Optional(Type.Boolean()),
  SignalProcessSupported: Type.Optional(Type.Boolean()),
  DumpStacksSupported: Type.Optional(Type.Boolean()),
  DeleteContainerStateSupported: Type.Optional(Type.Boolean()),
});
export type LinuxGuestDefinedCapabilities = Static<typeof LinuxGuestDefinedCapabilitiesSchema>;

/**
 * `Capabilities` as the host reads it: the union of the host's and the guest's fields, all optional
 * (absent reads as false/empty). Written with `toGoJson` it has the host struct's shape, where no
 * field is omitted.
 */
export const GcsCapabilitiesSchema = struct('GcsCapabilities', {
  /** The host must send Create for the UVM (null container id) after negotiation. */
  SendHostCreateMessage: kept(Type.Optional(Type.Boolean())),
  /** The host must then send Start for the UVM (only read when SendHostCreateMessage is set). */
  SendHostStartMessage: kept(Type.Optional(Type.Boolean())),
  /** An HvSocket ModifySettings Update should follow create/start. */
  HvSocketConfigOnStartup: kept(Type.Optional(Type.Boolean())),
  /** Windows only. */
  SendLifecycleNotifications: kept(Type.Optional(Type.Boolean())),
  /** Windows only. */
  ModifyServiceSettingsSupported: kept(Type.Optional(Type.Boolean())),
  /** HCS schema versions the guest accepts, e.g. `[{ Major: 2, Minor: 1 }]`. */
  SupportedSchemaVersions: kept(Type.Optional(Type.Array(VersionSchema))),
  /** `"Linux"` from the Linux GCS; the Go host lower-cases it and reads empty as Windows. */
  RuntimeOsType: kept(Type.Optional(Type.String())),
  /** The host keeps this as raw JSON (null when absent) and reads it per OS. */
  GuestDefinedCapabilities: goField(Type.Optional(GuestDefinedCapabilitiesSchema), { keep: true, zero: null }),
});
export type GcsCapabilities = Static<typeof GcsCapabilitiesSchema>;

/** `Capabilities` as the Linux GCS writes it: everything omitted when empty but the flags object. */
export const LinuxGuestCapabilitiesSchema = struct('LinuxGuestCapabilities', {
  SendHostCreateMessage: Type.Optional(Type.Boolean()),
  SendHostStartMessage: Type.Optional(Type.Boolean()),
  HvSocketConfigOnStartup: Type.Optional(Type.Boolean()),
  SupportedSchemaVersions: Type.Optional(Type.Array(VersionSchema)),
  RuntimeOsType: Type.Optional(Type.String()),
  GuestDefinedCapabilities: kept(Type.Optional(LinuxGuestDefinedCapabilitiesSchema)),
});
export type LinuxGuestCapabilities = Static<typeof LinuxGuestCapabilitiesSchema>;

/** The guest OS a GCS runs on. */
export type GcsGuestOs = 'linux' | 'windows';

/** What {@link parseGcsCapabilities} makes of a `Capabilities` value. */
export interface ParsedGcsCapabilities {
  /** Every known field that had the right type; the rest are left out and listed in `issues`. */
  readonly capabilities: GcsCapabilities;
  /**
   * `RuntimeOsType` by the Go host's rule (lower-cased; empty or absent means Windows), or
   * undefined when it names another OS.
   */
  readonly os: GcsGuestOs | undefined;
  /** Fields that were present but unusable, with what was wrong. Empty for a well-formed value. */
  readonly issues: readonly ValidationIssue[];
}

const FLAG_KEYS = Object.keys(GuestDefinedCapabilitiesSchema.properties) as (keyof GuestDefinedCapabilities)[];
const HOST_FLAG_KEYS = ['SendHostCreateMessage', 'SendHostStartMessage', 'HvSocketConfigOnStartup', 'SendLifecycleNotifications', 'ModifyServiceSettingsSupported'] as const;

/**
 * Reads the `Capabilities` of a NegotiateProtocol response from either guest. Never throws: a
 * field of the wrong type is dropped and reported in `issues`; unknown keys are ignored, as the
 * protocol allows a guest to add fields.
 */
export function parseGcsCapabilities(value: unknown): ParsedGcsCapabilities {
  const issues: ValidationIssue[] = [];
  const caps: { -readonly [K in keyof GcsCapabilities]: GcsCapabilities[K] } = {};
  if (value === undefined || value === null) return { capabilities: caps, os: 'windows', issues };
  if (!isRecord(value)) {
    issues.push({ path: '', message: `Capabilities must be an object; got ${describe(value)}.` });
    return { capabilities: caps, os: 'windows', issues };
  }
  for (const key of HOST_FLAG_KEYS) {
    const flag = readBoolean(value, key, `/${key}`, issues);
    if (flag !== undefined) caps[key] = flag;
  }
  const versions = readVersions(value.SupportedSchemaVersions, issues);
  if (versions !== undefined) caps.SupportedSchemaVersions = versions;
  if (value.RuntimeOsType !== undefined && value.RuntimeOsType !== null) {
    if (typeof value.RuntimeOsType === 'string') caps.RuntimeOsType = value.RuntimeOsType;
    else issues.push({ path: '/RuntimeOsType', message: `must be a string such as "Linux"; got ${describe(value.RuntimeOsType)}.` });
  }
  const guest = value.GuestDefinedCapabilities;
  if (guest !== undefined && guest !== null) {
    if (isRecord(guest)) {
      const flags: { -readonly [K in keyof GuestDefinedCapabilities]: boolean } = {};
      for (const key of FLAG_KEYS) {
        const flag = readBoolean(guest, key, `/GuestDefinedCapabilities/${key}`, issues);
        if (flag !== undefined) flags[key] = flag;
      }
      caps.GuestDefinedCapabilities = flags;
    } else {
      issues.push({ path: '/GuestDefinedCapabilities', message: `must be an object of boolean flags; got ${describe(guest)}.` });
    }
  }
  return { capabilities: caps, os: osOf(caps.RuntimeOsType, issues), issues };
}

function osOf(runtimeOsType: string | undefined, issues: ValidationIssue[]): GcsGuestOs | undefined {
  const os = (runtimeOsType ?? '').toLowerCase();
  if (os === '' || os === 'windows') return 'windows';
  if (os === 'linux') return 'linux';
  issues.push({ path: '/RuntimeOsType', message: `names an OS uvm does not know (${describe(runtimeOsType)}); expected "Linux" or "Windows".` });
  return undefined;
}

function readBoolean(record: Record<string, unknown>, key: string, path: string, issues: ValidationIssue[]): boolean | undefined {
  const v = record[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  issues.push({ path, message: `must be true or false; got ${describe(v)}.` });
  return undefined;
}

function readVersions(v: unknown, issues: ValidationIssue[]): Version[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    issues.push({ path: '/SupportedSchemaVersions', message: `must be an array of { Major, Minor } objects; got ${describe(v)}.` });
    return undefined;
  }
  const versions: Version[] = [];
  v.forEach((item: unknown, i) => {
    const major = isRecord(item) ? item.Major : undefined;
    const minor = isRecord(item) ? item.Minor : undefined;
    if (isRecord(item) && isOptionalInt32(major) && isOptionalInt32(minor)) {
      versions.push({ ...(major === undefined ? {} : { Major: major }), ...(minor === undefined ? {} : { Minor: minor }) });
    } else {
      issues.push({ path: `/SupportedSchemaVersions/${i}`, message: `must be an object with integer Major and Minor; got ${describe(item)}.` });
    }
  });
  return versions;
}

function isOptionalInt32(v: unknown): v is number | undefined {
  return v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
