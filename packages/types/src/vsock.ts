import { guidIssue } from './guid.js';
import { integerIssue, throwIfIssues } from './argumentChecks.js';

// vsock ports a Linux UVM dials, and how a vsock port maps to the hvsock service id the host
// listens on (gcs-bridge.md §1.1–§1.3, hcs-host.md §4.12).

/** The vsock ports of a Linux UVM's channels to its host. */
export const VSOCK_PORT = Object.freeze({
  /** Boot entropy: the guest's init dials it and the host writes {@link LINUX_ENTROPY_BYTES} random bytes. */
  entropy: 1,
  /** The guest log stream (GCS stderr through vsockexec). */
  log: 109,
  /** The GCS bridge: the Linux GCS dials it. */
  linuxGcs: 0x40000000,
  /** The first port the host hands out for process stdio relays; each further pipe takes the next one. */
  firstStdio: 0x40000001,
} as const);

/** Bytes of random data the host sends on the entropy port before closing it. */
export const LINUX_ENTROPY_BYTES = 512;

/** The default vsock port of Plan 9 shares in a Linux UVM. */
export const PLAN9_PORT = 564;

/** The largest vsock port (ports are unsigned 32-bit numbers). */
export const MAX_VSOCK_PORT = 0xffffffff;

const VSOCK_SERVICE_SUFFIX = '-facb-11e6-bd58-64006a7986d3';

/**
 * The hvsock service id that stands for vsock port `port`: the port as the first 8 hex digits,
 * then `facb-11e6-bd58-64006a7986d3` (port 0x40000000 → `40000000-facb-11e6-bd58-64006a7986d3`).
 */
export function vsockServiceId(port: number): string {
  throwIfIssues('vsock port', [integerIssue(port, '/port', 0, MAX_VSOCK_PORT, 'port')]);
  return port.toString(16).padStart(8, '0') + VSOCK_SERVICE_SUFFIX;
}

/**
 * The vsock port a service id stands for, or undefined when the id is not a vsock service id
 * (for example the Windows GCS's). Throws a ValidationError when `serviceId` is not a GUID at all.
 */
export function vsockPortFromServiceId(serviceId: string): number | undefined {
  throwIfIssues('hvsock service id', [guidIssue(serviceId, '/serviceId', 'serviceId')]);
  const lower = serviceId.toLowerCase();
  return lower.endsWith(VSOCK_SERVICE_SUFFIX) ? Number.parseInt(lower.slice(0, 8), 16) : undefined;
}
