import { parseGoInteger } from './goParse.js';

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
  return { deviceInstancePath: windowsDir(id.slice(0, cut + 1)), virtualFunction: index.value };
}

// Go's filepath.Dir on Windows for the part before the last element: forward slashes become
// backslashes, repeated separators and `.` collapse, `..` pops, and the trailing separator goes.
function windowsDir(parent: string): string {
  const unc = /^[\\/]{2}[^\\/]/.test(parent);
  const rooted = /^[\\/]/.test(parent);
  const parts: string[] = [];
  for (const part of parent.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !rooted) parts.push(part);
  }
  const body = parts.join('\\');
  if (unc) return '\\\\' + body;
  if (rooted) return '\\' + body;
  return body === '' ? '.' : body;
}
