import { parseGoInteger } from './goParse.js';
import { cleanWindowsPath } from './windowsPath.js';

/** A host PCI device to assign: its device instance path and the virtual function index. */
export interface VpciDeviceLocation {
  readonly deviceInstancePath: string;
  readonly virtualFunction: number;
}

/**
 * Splits an assigned-device id the way hcsshim does (hcs-host.md §4.6, §3.6): when the last path
 * element (after `\` or `/`) is a base-10 uint16 it is the virtual function index and the cleaned
 * parent is the instance path; otherwise the whole id is the instance path, function 0.
 */
export function parseVpciDeviceId(id: string): VpciDeviceLocation {
  const cut = Math.max(id.lastIndexOf('\\'), id.lastIndexOf('/'));
  const index = parseGoInteger(id.slice(cut + 1), 'uint32');
  if (!index.ok || index.value > 0xffff) return { deviceInstancePath: id, virtualFunction: 0 };
  return { deviceInstancePath: cleanWindowsPath(id.slice(0, cut + 1)), virtualFunction: index.value };
}
