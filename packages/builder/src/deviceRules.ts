import {
  isGuid,
  MAX_COM_PORT_INDEX,
  MAX_VPMEM_COUNT,
  Plan9ShareFlags,
  SCSI_CONTROLLER_GUIDS,
  showValue,
  VPMEM_SIZE_ALIGNMENT_BYTES,
  WindowsBuild,
  type ComputeSystem,
} from '@uvm/types';
import { DocPath } from './documentPaths.js';
import { jsonPointer } from './jsonPointer.js';
import { hostPathProblem, nameProblem, sddlProblem } from './pathChecks.js';
import type { RuleContext } from './ruleContext.js';
import { elementsOf, entriesOf, isInteger, isRecord } from './values.js';

const NAMED_PIPE_PREFIX = '\\\\.\\pipe\\';
const ATTACHMENT_TYPES: readonly string[] = ['VirtualDisk', 'PassThru', 'ExtensibleVirtualDisk'];
const KNOWN_PLAN9_FLAGS = Object.values(Plan9ShareFlags).reduce<number>((all, flag) => all | flag, 0);
const MAC_ADDRESS = /^[0-9A-Fa-f]{2}([-:])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}$/;

/** Device rules: SCSI, VPMem, shares, NICs, vPCI, COM ports, HvSocket, graphics, crash reporting. */
export function checkDevices(doc: ComputeSystem, ctx: RuleContext): void {
  const devices = doc.VirtualMachine?.Devices;
  if (!isRecord(devices)) return;
  checkScsi(devices.Scsi, ctx);
  checkVPMem(devices.VirtualPMem, ctx);
  checkVsmb(devices.VirtualSmb, ctx);
  checkPlan9(devices.Plan9, ctx);
  checkNetworkAdapters(devices.NetworkAdapters, ctx);
  checkVpci(devices.VirtualPci, ctx);
  checkComPorts(devices.ComPorts, ctx);
  checkHvSocket(devices.HvSocket?.HvSocketConfig, ctx);
  if (devices.GuestCrashReporting !== undefined && ctx.os === 'linux') {
    ctx.issues.add(DocPath.guestCrashReporting, 'Guest crash reporting writes Windows crash dumps; a Linux guest cannot use it. Remove it.');
  }
}

function checkScsi(scsi: unknown, ctx: RuleContext): void {
  const controllers = entriesOf(scsi);
  const known: readonly string[] = SCSI_CONTROLLER_GUIDS;
  if (controllers.length > known.length) {
    ctx.issues.add(DocPath.scsi, `A VM has at most ${known.length} SCSI controllers; ${controllers.length} are given. Put more disks on the existing controllers (64 LUNs each).`);
  } else if (controllers.length > 1 && ctx.hostKnown && ctx.host.windowsBuild < WindowsBuild.RS5) {
    ctx.issues.add(
      DocPath.scsi,
      `More than one SCSI controller needs Windows build ${WindowsBuild.RS5} or later; this host is build ${ctx.host.windowsBuild}. Use one controller.`,
    );
  }
  for (const [guid, controller] of controllers) {
    if (!known.includes(guid)) {
      ctx.issues.add(
        jsonPointer('VirtualMachine', 'Devices', 'Scsi', guid),
        `${showValue(guid)} is not one of the SCSI controller GUIDs the guest knows (${known.join(', ')}); add controllers by index 0–3.`,
      );
    }
    if (!isRecord(controller)) continue;
    for (const [lun, attachment] of entriesOf(controller.Attachments)) {
      if (!isRecord(attachment)) continue;
      const at = (key: string) => jsonPointer('VirtualMachine', 'Devices', 'Scsi', guid, 'Attachments', lun, key);
      const type = attachment.Type;
      if (typeof type !== 'string' || !ATTACHMENT_TYPES.includes(type)) {
        ctx.issues.add(at('Type'), `The attachment type must be one of ${ATTACHMENT_TYPES.join(', ')}; got ${showValue(type)}.`);
      }
      const problem = hostPathProblem(attachment.Path, 'The disk path', type === 'VirtualDisk');
      if (problem !== undefined) ctx.issues.add(at('Path'), problem);
      const provider = attachment.ExtensibleVirtualDiskType;
      if (type === 'ExtensibleVirtualDisk' && (typeof provider !== 'string' || provider === '')) {
        ctx.issues.add(at('ExtensibleVirtualDiskType'), 'An ExtensibleVirtualDisk attachment needs ExtensibleVirtualDiskType, the name of the disk provider.');
      } else if (type !== 'ExtensibleVirtualDisk' && provider !== undefined && provider !== '') {
        ctx.issues.add(at('ExtensibleVirtualDiskType'), 'ExtensibleVirtualDiskType applies only to ExtensibleVirtualDisk attachments: remove it or change the type.');
      }
    }
  }
}

function checkVPMem(vpmem: unknown, ctx: RuleContext): void {
  if (!isRecord(vpmem)) return;
  const at = (key: string) => `${DocPath.vpmem}/${key}`;
  if (ctx.hostKnown && ctx.host.architecture === 'arm64') {
    ctx.issues.add(DocPath.vpmem, 'VPMem devices are not supported on arm64 hosts: use SCSI disks instead.');
  }
  const max = vpmem.MaximumCount;
  if (max === undefined || max === 0) {
    ctx.issues.add(at('MaximumCount'), `The VPMem controller needs a maximum device count from 1 to ${MAX_VPMEM_COUNT}.`);
  } else if (isInteger(max) && max > MAX_VPMEM_COUNT) {
    ctx.issues.add(at('MaximumCount'), `A VM has at most ${MAX_VPMEM_COUNT} VPMem devices; got ${max}.`);
  }
  const size = vpmem.MaximumSizeBytes;
  if (size === undefined || size === 0) {
    ctx.issues.add(at('MaximumSizeBytes'), 'The VPMem controller needs a maximum device size in bytes, a multiple of 4096 (for example 4294967296 for 4 GiB).');
  } else if (isInteger(size) && size % VPMEM_SIZE_ALIGNMENT_BYTES !== 0) {
    ctx.issues.add(
      at('MaximumSizeBytes'),
      `The VPMem device size must be a multiple of ${VPMEM_SIZE_ALIGNMENT_BYTES} bytes; got ${size}. Use ${Math.ceil(size / VPMEM_SIZE_ALIGNMENT_BYTES) * VPMEM_SIZE_ALIGNMENT_BYTES}.`,
    );
  }
  const devices = entriesOf(vpmem.Devices);
  if (isInteger(max) && max > 0 && devices.length > max) {
    ctx.issues.add(at('Devices'), `${devices.length} VPMem devices are more than the controller's maximum of ${max}: raise MaximumCount or use fewer devices.`);
  }
  for (const [slot, device] of devices) {
    const deviceAt = (key?: string) => jsonPointer('VirtualMachine', 'Devices', 'VirtualPMem', 'Devices', slot, ...(key === undefined ? [] : [key]));
    if (isInteger(max) && max > 0 && /^[0-9]+$/.test(slot) && Number(slot) >= max) {
      ctx.issues.add(deviceAt(), `VPMem slot ${slot} is beyond the controller's maximum of ${max} devices: use slots 0 to ${max - 1}.`);
    }
    if (!isRecord(device)) continue;
    const problem = hostPathProblem(device.HostPath, 'The VPMem image path');
    if (problem !== undefined) ctx.issues.add(deviceAt('HostPath'), problem);
  }
}

function checkVsmb(vsmb: unknown, ctx: RuleContext): void {
  if (!isRecord(vsmb)) return;
  const shares = elementsOf(vsmb.Shares);
  if (shares.length > 0 && ctx.os === 'linux') {
    ctx.issues.add(`${DocPath.vsmb}/Shares`, 'A Linux guest cannot mount VSMB shares: use Plan9 shares (devices.addPlan9Share).');
  }
  checkShares(shares, 'VirtualSmb', 'VSMB', ctx);
}

function checkPlan9(plan9: unknown, ctx: RuleContext): void {
  if (plan9 === undefined) return;
  if (ctx.os === 'windows') {
    ctx.issues.add(DocPath.plan9, 'A Windows guest cannot use Plan9 shares: use VSMB shares (devices.addVsmbShare) and remove Plan9.');
    return;
  }
  if (!isRecord(plan9)) return;
  const shares = elementsOf(plan9.Shares);
  checkShares(shares, 'Plan9', 'Plan9', ctx);
  shares.forEach((share, i) => {
    if (!isRecord(share)) return;
    const at = (key: string) => jsonPointer('VirtualMachine', 'Devices', 'Plan9', 'Shares', i, key);
    const flags = share.Flags;
    if (isInteger(flags)) {
      const unknown = flags & ~KNOWN_PLAN9_FLAGS;
      if (unknown !== 0) ctx.issues.add(at('Flags'), `Plan9 share flags 0x${unknown.toString(16)} are not defined; use the Plan9ShareFlags bits.`);
      if ((flags & Plan9ShareFlags.RestrictFileAccess) !== 0 && ctx.hostKnown && ctx.host.windowsBuild < WindowsBuild.V19H1) {
        ctx.issues.add(
          at('Flags'),
          `Single-file Plan9 shares (RestrictFileAccess) need Windows build ${WindowsBuild.V19H1} or later; this host is build ${ctx.host.windowsBuild}. Share the directory instead.`,
        );
      }
    }
    if (share.Port !== undefined && !(isInteger(share.Port) && share.Port > 0)) {
      ctx.issues.add(at('Port'), `The Plan9 vsock port must be a positive integer (hcsshim uses 564); got ${showValue(share.Port)}.`);
    }
  });
}

function checkShares(shares: unknown[], device: 'VirtualSmb' | 'Plan9', kind: string, ctx: RuleContext): void {
  const seen = new Map<string, number>();
  shares.forEach((share, i) => {
    const at = (key: string) => jsonPointer('VirtualMachine', 'Devices', device, 'Shares', i, key);
    if (!isRecord(share)) return;
    const nameIssue = nameProblem(share.Name, `The ${kind} share name`);
    if (nameIssue !== undefined) ctx.issues.add(at('Name'), nameIssue);
    else if (typeof share.Name === 'string') {
      const first = seen.get(share.Name);
      if (first === undefined) seen.set(share.Name, i);
      else ctx.issues.add(at('Name'), `The ${kind} share name ${showValue(share.Name)} is already used by share ${first}: give each share its own name.`);
    }
    const pathIssue = hostPathProblem(share.Path, `The ${kind} share path`);
    if (pathIssue !== undefined) ctx.issues.add(at('Path'), pathIssue);
    elementsOf(share.AllowedFiles).forEach((file, j) => {
      const fileIssue = nameProblem(file, 'An allowed file name');
      if (fileIssue !== undefined) ctx.issues.add(jsonPointer('VirtualMachine', 'Devices', device, 'Shares', i, 'AllowedFiles', j), fileIssue);
    });
  });
}

function checkNetworkAdapters(adapters: unknown, ctx: RuleContext): void {
  for (const [id, adapter] of entriesOf(adapters)) {
    const at = (key?: string) => jsonPointer('VirtualMachine', 'Devices', 'NetworkAdapters', id, ...(key === undefined ? [] : [key]));
    if (id === '' || id.includes('/') || id.includes('\0')) {
      ctx.issues.add(at(), `The network adapter id ${showValue(id)} must be non-empty without "/" or NUL, because it becomes a resource path segment.`);
    }
    if (!isRecord(adapter)) continue;
    if (!isGuid(adapter.EndpointId)) {
      ctx.issues.add(at('EndpointId'), `A network adapter needs the GUID of its HNS endpoint (EndpointId); got ${showValue(adapter.EndpointId)}.`);
    }
    const mac = adapter.MacAddress;
    if (mac !== undefined && mac !== '' && !(typeof mac === 'string' && MAC_ADDRESS.test(mac))) {
      ctx.issues.add(at('MacAddress'), `The MAC address must be six hex pairs such as "00-15-5D-52-C0-00"; got ${showValue(mac)}.`);
    }
  }
}

function checkVpci(vpci: unknown, ctx: RuleContext): void {
  const seen = new Map<string, string>();
  for (const [guid, device] of entriesOf(vpci)) {
    if (!isRecord(device)) continue;
    const at = (...rest: (string | number)[]) => jsonPointer('VirtualMachine', 'Devices', 'VirtualPci', guid, ...rest);
    const functions = elementsOf(device.Functions);
    if (functions.length === 0) ctx.issues.add(at('Functions'), 'A vPCI device needs at least one function (a host device instance path).');
    functions.forEach((fn, i) => {
      if (!isRecord(fn)) return;
      const problem = nameProblem(fn.DeviceInstancePath, 'The device instance path');
      if (problem !== undefined) {
        ctx.issues.add(at('Functions', i, 'DeviceInstancePath'), problem);
        return;
      }
      const index = fn.VirtualFunction ?? 0;
      const key = `${String(fn.DeviceInstancePath)}\0${showValue(index)}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, guid);
      else {
        ctx.issues.add(
          at('Functions', i),
          `Device ${String(fn.DeviceInstancePath)} with index ${showValue(index)} is specified multiple times (also under ${first}): assign each function once.`,
        );
      }
    });
    if (device.PropagateNumaAffinity === true && ctx.hostKnown && ctx.host.windowsBuild < WindowsBuild.V25H1_SERVER) {
      ctx.issues.add(
        at('PropagateNumaAffinity'),
        `Propagating NUMA affinity to vPCI devices needs Windows build ${WindowsBuild.V25H1_SERVER} or later; this host is build ${ctx.host.windowsBuild}. Remove it.`,
      );
    }
  }
}

function checkComPorts(ports: unknown, ctx: RuleContext): void {
  for (const [port, config] of entriesOf(ports)) {
    const at = (key?: string) => jsonPointer('VirtualMachine', 'Devices', 'ComPorts', port, ...(key === undefined ? [] : [key]));
    if (!/^[0-9]+$/.test(port) || Number(port) > MAX_COM_PORT_INDEX) {
      ctx.issues.add(at(), `COM port ${showValue(port)} does not exist: use "0" (COM1) or "1" (COM2).`);
    }
    if (!isRecord(config)) continue;
    const pipe = config.NamedPipe;
    if (typeof pipe !== 'string' || !pipe.startsWith(NAMED_PIPE_PREFIX) || pipe.length === NAMED_PIPE_PREFIX.length || pipe.includes('\0')) {
      ctx.issues.add(
        at('NamedPipe'),
        `A COM port can only be connected to a named pipe on the host, such as \\\\.\\pipe\\uvm-console; got ${showValue(pipe)}.`,
      );
    }
  }
}

function checkHvSocket(config: unknown, ctx: RuleContext): void {
  if (!isRecord(config)) return;
  const at = (key: string) => `${DocPath.hvSocketConfig}/${key}`;
  for (const key of ['DefaultBindSecurityDescriptor', 'DefaultConnectSecurityDescriptor'] as const) {
    const value = config[key];
    if (value === undefined || value === '') continue;
    const problem = sddlProblem(value, key);
    if (problem !== undefined) ctx.issues.add(at(key), problem);
  }
  for (const [serviceId, service] of entriesOf(config.ServiceTable)) {
    if (!isRecord(service)) continue;
    for (const key of ['BindSecurityDescriptor', 'ConnectSecurityDescriptor'] as const) {
      const value = service[key];
      if (value === undefined || value === '') continue;
      const problem = sddlProblem(value, key);
      if (problem !== undefined) ctx.issues.add(jsonPointer('VirtualMachine', 'Devices', 'HvSocket', 'HvSocketConfig', 'ServiceTable', serviceId, key), problem);
    }
  }
}
