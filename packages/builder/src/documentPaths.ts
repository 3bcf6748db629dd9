// JSON pointers of the places in a ComputeSystem document that the builder's issues name.

const VM = '/VirtualMachine';
const TOPOLOGY = `${VM}/ComputeTopology`;
const DEVICES = `${VM}/Devices`;

export const DocPath = {
  owner: '/Owner',
  schemaVersion: '/SchemaVersion',
  terminateOnLastHandleClosed: '/ShouldTerminateOnLastHandleClosed',
  vm: VM,
  vmVersion: `${VM}/Version`,
  stopOnReset: `${VM}/StopOnReset`,
  chipset: `${VM}/Chipset`,
  uefi: `${VM}/Chipset/Uefi`,
  kernelDirect: `${VM}/Chipset/LinuxKernelDirect`,
  firmwareFile: `${VM}/Chipset/FirmwareFile`,
  memory: `${TOPOLOGY}/Memory`,
  processor: `${TOPOLOGY}/Processor`,
  numa: `${TOPOLOGY}/Numa`,
  devices: DEVICES,
  comPorts: `${DEVICES}/ComPorts`,
  scsi: `${DEVICES}/Scsi`,
  vpmem: `${DEVICES}/VirtualPMem`,
  networkAdapters: `${DEVICES}/NetworkAdapters`,
  videoMonitor: `${DEVICES}/VideoMonitor`,
  enhancedModeVideo: `${DEVICES}/EnhancedModeVideo`,
  hvSocketConfig: `${DEVICES}/HvSocket/HvSocketConfig`,
  guestCrashReporting: `${DEVICES}/GuestCrashReporting`,
  vsmb: `${DEVICES}/VirtualSmb`,
  plan9: `${DEVICES}/Plan9`,
  vpci: `${DEVICES}/VirtualPci`,
  guestState: `${VM}/GuestState`,
  registryChanges: `${VM}/RegistryChanges`,
  storageQoS: `${VM}/StorageQoS`,
  debugOptions: `${VM}/DebugOptions`,
  isolation: `${VM}/SecuritySettings/Isolation`,
  securitySettings: `${VM}/SecuritySettings`,
  resourcePartitionId: `${VM}/ResourcePartitionId`,
} as const;
