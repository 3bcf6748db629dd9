// The public surface of @uvm/builder. Each block lists one module's exports.

// LCOW kernel command line
export { lcowKernelCommandLine, type LcowKernelCommandLineOptions } from './lcowKernelCommandLine.js';

// Assigned PCI device ids
export { parseVpciDeviceId, type VpciDeviceLocation } from './vpciDeviceId.js';

// Confidential launch data
export { launchDataFromPolicy } from './launchData.js';
