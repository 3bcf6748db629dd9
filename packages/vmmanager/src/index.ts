// The public surface of @uvm/vmmanager. Each block lists one concept's exports.

// One utility VM on the host
export { UtilityVM, type UtilityVMCreateOptions, type UtilityVMEvents, type UtilityVMOptions } from './utilityVm.js';
export type { UtilityVMExit } from './utilityVmExit.js';
export { UtilityVMListener } from './utilityVmListener.js';

// The narrow interfaces UtilityVM implements, one per concern
export type {
  CallOptions,
  LifetimeManager,
  NetworkManager,
  PciManager,
  PipeManager,
  Plan9Manager,
  ResourceManager,
  ScsiManager,
  TimedCallOptions,
  UtilityVMState,
  VmSocketManager,
  VpmemManager,
  VsmbManager,
} from './managers.js';

// Host facts for @uvm/builder
export { probeHost } from './probeHost.js';
