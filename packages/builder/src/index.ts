// The public surface of @uvm/builder. Each block lists one module's exports.

// The builder
export {
  createBuilder,
  type Builder,
  type BuilderOptions,
  type DebugOptionsIntent,
  type RegistryValueOptions,
} from './builder.js';
export type { GuestOs } from './ruleContext.js';
export type { MemoryBuilder, MmioOptions } from './memoryBuilder.js';
export type { ProcessorBuilder } from './processorBuilder.js';
export type { ExplicitNumaOptions, ImplicitNumaOptions, NumaBuilder, NumaNodeOptions } from './numaBuilder.js';
export type {
  ComPortOptions,
  DevicesBuilder,
  GuestCrashReportingOptions,
  HvSocketDefaults,
  HvSocketServiceOptions,
  IovOptions,
  NetworkAdapterOptions,
  Plan9ShareOptions,
  RdpConnectionOptionsIntent,
  ScsiDiskOptions,
  VideoMonitorOptions,
  VPMemControllerOptions,
  VPMemDeviceOptions,
  VpciDeviceOptions,
  VpciFunctionOptions,
  VsmbShareFlags,
  VsmbShareOptions,
} from './devicesBuilder.js';
export type { BootBuilder, LinuxKernelDirectOptions, UefiBootEntryOptions, UefiOptions } from './bootBuilder.js';
export type { StorageQoSBuilder } from './storageQoSBuilder.js';
export type { GuestStateOptions, IsolationOptions, SecurityBuilder } from './securityBuilder.js';

// Checking any document against the builder's rules and the schema
export { checkComputeSystem, type CheckOptions } from './checkComputeSystem.js';

// hcsshim's LCOW preset
export { lcow, lcowConfidentialFiles, type FileCopy } from './lcow.js';
export type { LcowConfidentialOptions, LcowDevice, LcowOptions } from './lcowOptions.js';
export type { PresetNumaOptions, PresetOptions } from './presetOptions.js';

// hcsshim's WCOW preset
export { wcow } from './wcow.js';
export type { WcowConfidentialOptions, WcowOptions } from './wcowOptions.js';

// hcsshim's LCOW annotations
export { LcowAnnotation } from './lcowAnnotations.js';
export {
  lcowFromAnnotations,
  type LcowAnnotationContext,
  type LcowConfidentialConfig,
  type LcowFromAnnotationsResult,
  type LcowRuntimeOptions,
  type LcowSandboxOptions,
} from './lcowFromAnnotations.js';

// Build specs: the same options as plain data
export { BuildSpecSchema, type BuildSpec } from './buildSpecSchema.js';
export { buildFromSpec, builderFromSpec, type BuildFromSpecOptions } from './buildFromSpec.js';

// LCOW kernel command line
export { lcowKernelCommandLine, type LcowKernelCommandLineOptions } from './lcowKernelCommandLine.js';

// Assigned PCI device ids
export { parseVpciDeviceId, type VpciDeviceLocation } from './vpciDeviceId.js';

// Confidential launch data
export { launchDataFromPolicy } from './launchData.js';
export type { ParseResult } from './goParse.js';
