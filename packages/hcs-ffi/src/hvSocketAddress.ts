import { AF_HYPERV, ValidationError, guidFromBytes, guidToBytes, isGuid, vsockServiceId, type ValidationIssue } from '@uvm/types';

/** Bytes in a SOCKADDR_HV. */
export const HV_SOCKET_ADDRESS_BYTES = 36;

/** A service given as its GUID, or as the vsock port a Linux guest dials (mapped by `vsockServiceId`). */
export type HvServiceId = string | { readonly vsockPort: number };

/** The service id GUID for `service`, lower-case. */
export function resolveServiceId(service: HvServiceId): string {
  // Checked as unknown: JavaScript callers can pass anything, null included.
  const value: unknown = service;
  if (typeof value === 'object' && value !== null && 'vsockPort' in value) return vsockServiceId(value.vsockPort as number);
  if (!isGuid(service)) {
    throw new ValidationError('hvsock address', [
      { path: '/serviceId', message: `serviceId must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) or { vsockPort }; got ${JSON.stringify(service)}.` },
    ]);
  }
  return service.toLowerCase();
}

/**
 * The 36-byte SOCKADDR_HV (gcs-bridge.md §1.2): family AF_HYPERV as a little-endian u16, two zero
 * bytes, the VM id, then the service id, each GUID in the Windows binary layout.
 */
export function packHvSocketAddress(vmId: string, service: HvServiceId): Buffer {
  const issues: ValidationIssue[] = [];
  if (!isGuid(vmId)) issues.push({ path: '/vmId', message: `vmId must be a GUID such as the UVM's runtime id; got ${JSON.stringify(vmId)}.` });
  if (issues.length > 0) throw new ValidationError('hvsock address', issues);
  const address = Buffer.alloc(HV_SOCKET_ADDRESS_BYTES);
  address.writeUInt16LE(AF_HYPERV, 0);
  address.set(guidToBytes(vmId), 4);
  address.set(guidToBytes(resolveServiceId(service)), 20);
  return address;
}

/** Reads a SOCKADDR_HV back into its two GUIDs. */
export function unpackHvSocketAddress(address: Uint8Array): { readonly vmId: string; readonly serviceId: string } {
  const family = address instanceof Uint8Array && address.length >= HV_SOCKET_ADDRESS_BYTES ? new DataView(address.buffer, address.byteOffset).getUint16(0, true) : -1;
  if (family !== AF_HYPERV) {
    throw new ValidationError('hvsock address', [
      { path: '', message: `A SOCKADDR_HV is ${HV_SOCKET_ADDRESS_BYTES} bytes starting with the family ${AF_HYPERV} (little-endian).` },
    ]);
  }
  return { vmId: guidFromBytes(address, 4), serviceId: guidFromBytes(address, 20) };
}
