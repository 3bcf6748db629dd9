import { assertWith, type ComputeSystem, type Logger } from '@uvm/types';
import { UtilityVmBuilder, type Builder } from './builder.js';
import { jsonPointer } from './jsonPointer.js';
import { fillLcow } from './lcow.js';
import { fillLcowFromAnnotations } from './lcowFromAnnotations.js';
import { BuildSpecSchema, type BuildSpec } from './buildSpecSchema.js';
import type { GuestOs } from './ruleContext.js';
import { fillWcow } from './wcow.js';

/** What a spec cannot carry because it is not data. */
export interface BuildFromSpecOptions {
  /** Source of vPCI VMBus GUIDs; default `crypto.randomUUID`. */
  readonly newGuid?: () => string;
  readonly logger?: Logger;
}

/**
 * A Builder filled from a build spec: the preset first (issues about its options point into the
 * spec, e.g. `/preset/lcow/memorySizeInMB`), then each section, in the order the spec type lists
 * them. Throws one `ValidationError` when the spec does not match `BuildSpecSchema`; problems with
 * the resulting document surface in `build()`.
 */
export function builderFromSpec(spec: BuildSpec, options: BuildFromSpecOptions = {}): Builder {
  const s = assertWith(BuildSpecSchema, spec, 'BuildSpec');
  const injections = { ...(options.newGuid === undefined ? {} : { newGuid: options.newGuid }), ...(options.logger === undefined ? {} : { logger: options.logger }) };
  const b = presetBuilder(s, injections);
  applySections(b, s);
  return b;
}

/** `builderFromSpec(spec, options).build()`: the checked document a spec describes. */
export function buildFromSpec(spec: BuildSpec, options: BuildFromSpecOptions = {}): ComputeSystem {
  return builderFromSpec(spec, options).build();
}

function presetBuilder(s: BuildSpec, injections: BuildFromSpecOptions): UtilityVmBuilder {
  const preset = s.preset;
  const presetOs: GuestOs | undefined = preset === undefined ? undefined : 'wcow' in preset ? 'windows' : 'linux';
  let builder: UtilityVmBuilder;
  if (preset !== undefined && 'lcow' in preset) {
    builder = fillLcow({ ...preset.lcow, host: s.host, ...injections }, (o) => specPath('lcow', o)).builder;
  } else if (preset !== undefined && 'wcow' in preset) {
    builder = fillWcow({ ...preset.wcow, host: s.host, ...injections }, (o) => specPath('wcow', o)).builder;
  } else if (preset !== undefined) {
    const { annotations, runtimeOptions, context } = preset.lcowAnnotations;
    builder = fillLcowFromAnnotations(annotations, runtimeOptions, s.host, { ...context, ...injections }).preset.builder;
  } else {
    builder = new UtilityVmBuilder({ os: s.os ?? 'linux', host: s.host, ...injections });
    if (s.os === undefined) builder.core.record('/os', 'Say which guest this is: "linux" or "windows" (or use a preset).');
  }
  if (s.os !== undefined && presetOs !== undefined && s.os !== presetOs) {
    builder.core.record('/os', `The preset builds a ${presetOs} guest but os is "${s.os}": remove os or make it agree.`);
  }
  return builder;
}

function specPath(preset: string, option: string): string {
  return jsonPointer('preset', preset, ...(option === '' ? [] : option.split('.')));
}

function applySections(b: Builder, s: BuildSpec): void {
  if (s.owner !== undefined) b.setOwner(s.owner);
  if (s.schemaVersion !== undefined) b.setSchemaVersion(s.schemaVersion);
  if (s.terminateOnLastHandleClosed !== undefined) b.setTerminateOnLastHandleClosed(s.terminateOnLastHandleClosed);
  if (s.stopOnReset !== undefined) b.setStopOnReset(s.stopOnReset);
  if (s.resourcePartitionId !== undefined) b.setResourcePartitionId(s.resourcePartitionId);
  if (s.virtualMachineVersion !== undefined) b.setVirtualMachineVersion(s.virtualMachineVersion);
  for (const value of s.registryValues ?? []) b.addRegistryValue(value);
  if (s.debugOptions !== undefined) b.setDebugOptions(s.debugOptions);
  applyMemory(b, s.memory);
  applyProcessor(b, s.processor);
  if (s.numa !== undefined) {
    if ('implicit' in s.numa) b.numa.setImplicit(s.numa.implicit);
    else b.numa.setExplicit(s.numa.explicit);
  }
  applyDevices(b, s.devices);
  applyBoot(b, s.boot);
  if (s.storageQoS?.iopsMaximum !== undefined) b.storageQoS.setIopsMaximum(s.storageQoS.iopsMaximum);
  if (s.storageQoS?.bandwidthMaximum !== undefined) b.storageQoS.setBandwidthMaximum(s.storageQoS.bandwidthMaximum);
  applySecurity(b, s.security);
}

function applyMemory(b: Builder, m: BuildSpec['memory']): void {
  if (m === undefined) return;
  if (m.sizeInMB !== undefined) b.memory.setSizeInMB(m.sizeInMB);
  if (m.backing !== undefined) b.memory.setBacking(m.backing);
  if (m.allowOvercommit !== undefined) b.memory.setAllowOvercommit(m.allowOvercommit);
  if (m.deferredCommit !== undefined) b.memory.setDeferredCommit(m.deferredCommit);
  if (m.hotHint !== undefined) b.memory.setHotHint(m.hotHint);
  if (m.coldHint !== undefined) b.memory.setColdHint(m.coldHint);
  if (m.coldDiscardHint !== undefined) b.memory.setColdDiscardHint(m.coldDiscardHint);
  if (m.mmio !== undefined) b.memory.setMmio(m.mmio);
  if (m.slitType !== undefined) b.memory.setSlitType(m.slitType);
}

function applyProcessor(b: Builder, p: BuildSpec['processor']): void {
  if (p === undefined) return;
  if (p.count !== undefined) b.processor.setCount(p.count);
  if (p.limit !== undefined) b.processor.setLimit(p.limit);
  if (p.weight !== undefined) b.processor.setWeight(p.weight);
  if (p.reservation !== undefined) b.processor.setReservation(p.reservation);
  if (p.cpuGroupId !== undefined) b.processor.setCpuGroup(p.cpuGroupId);
}

function applyDevices(b: Builder, d: BuildSpec['devices']): void {
  if (d === undefined) return;
  const devices = b.devices;
  for (const index of d.scsiControllers ?? []) devices.addScsiController(index);
  for (const disk of d.scsiDisks ?? []) devices.addScsiDisk(disk);
  if (d.vpmem !== undefined) {
    const { devices: vpmemDevices, ...controller } = d.vpmem;
    devices.setVPMemController(controller);
    for (const device of vpmemDevices ?? []) devices.addVPMemDevice(device);
  }
  if (d.vsmb?.enabled !== undefined) devices.setVsmbEnabled(d.vsmb.enabled);
  if (d.vsmb?.directFileMappingInMB !== undefined) devices.setVsmbDirectFileMappingInMB(d.vsmb.directFileMappingInMB);
  for (const share of d.vsmb?.shares ?? []) devices.addVsmbShare(share);
  if (d.plan9?.enabled !== undefined) devices.setPlan9Enabled(d.plan9.enabled);
  for (const share of d.plan9?.shares ?? []) devices.addPlan9Share(share);
  for (const [id, adapter] of Object.entries(d.networkAdapters ?? {})) devices.addNetworkAdapter(id, adapter);
  for (const device of d.vpci ?? []) devices.addVpciDevice(device);
  for (const [port, config] of Object.entries(d.comPorts ?? {})) devices.addComPort(/^[0-9]+$/.test(port) ? Number(port) : (port as never), config);
  if (d.hvSocket?.defaults !== undefined) devices.setHvSocketDefaults(d.hvSocket.defaults);
  for (const [id, service] of Object.entries(d.hvSocket?.services ?? {})) devices.setHvSocketService(id, service);
  if (d.graphicsConsole === true) devices.enableGraphicsConsole();
  if (d.keyboard === true) devices.enableKeyboard();
  if (d.mouse === true) devices.enableMouse();
  if (d.videoMonitor !== undefined) devices.setVideoMonitor(d.videoMonitor);
  if (d.enhancedModeVideo !== undefined) devices.enableEnhancedModeVideo(d.enhancedModeVideo.connectionOptions);
  if (d.guestCrashReporting !== undefined) devices.setGuestCrashReporting(d.guestCrashReporting);
}

function applyBoot(b: Builder, boot: BuildSpec['boot']): void {
  if (boot === undefined) return;
  if (boot.uefi !== undefined || boot.linuxKernelDirect !== undefined) b.boot.clear();
  if (boot.uefi !== undefined) b.boot.setUefi(boot.uefi);
  if (boot.linuxKernelDirect !== undefined) b.boot.setLinuxKernelDirect(boot.linuxKernelDirect);
  if (boot.firmwareParameters !== undefined) b.boot.setFirmwareParameters(Buffer.from(boot.firmwareParameters, 'base64'));
}

function applySecurity(b: Builder, sec: BuildSpec['security']): void {
  if (sec === undefined) return;
  if (sec.isolation !== undefined) b.security.setIsolation(sec.isolation);
  if (sec.launchDataFromPolicy !== undefined) b.security.setLaunchDataFromPolicy(sec.launchDataFromPolicy);
  if (sec.guestState !== undefined) b.security.setGuestState(sec.guestState);
  if (sec.tpm !== undefined) b.security.enableTpm(sec.tpm);
  if (sec.lockDownHvSocket !== undefined) b.security.lockDownHvSocket(sec.lockDownHvSocket);
}
