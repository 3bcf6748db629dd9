/** The `Hcs` methods the simulator answers as calls: each can be delayed and made to fail. */
export type SimulatedCall = keyof typeof HCS_FUNCTION;

/** The HCS function (or socket operation) behind each call, as an `HcsError` names it. */
export const HCS_FUNCTION = Object.freeze({
  enumerateComputeSystems: 'HcsEnumerateComputeSystems',
  createComputeSystem: 'HcsCreateComputeSystem',
  openComputeSystem: 'HcsOpenComputeSystem',
  startComputeSystem: 'HcsStartComputeSystem',
  shutDownComputeSystem: 'HcsShutDownComputeSystem',
  terminateComputeSystem: 'HcsTerminateComputeSystem',
  crashComputeSystem: 'HcsCrashComputeSystem',
  pauseComputeSystem: 'HcsPauseComputeSystem',
  resumeComputeSystem: 'HcsResumeComputeSystem',
  saveComputeSystem: 'HcsSaveComputeSystem',
  getComputeSystemProperties: 'HcsGetComputeSystemProperties',
  modifyComputeSystem: 'HcsModifyComputeSystem',
  waitForComputeSystemExit: 'HcsWaitForComputeSystemExit',
  createProcess: 'HcsCreateProcess',
  openProcess: 'HcsOpenProcess',
  terminateProcess: 'HcsTerminateProcess',
  signalProcess: 'HcsSignalProcess',
  getProcessInfo: 'HcsGetProcessInfo',
  getProcessProperties: 'HcsGetProcessProperties',
  modifyProcess: 'HcsModifyProcess',
  waitForProcessExit: 'HcsWaitForProcessExit',
  getServiceProperties: 'HcsGetServiceProperties',
  modifyServiceSettings: 'HcsModifyServiceSettings',
  grantVmAccess: 'HcsGrantVmAccess',
  revokeVmAccess: 'HcsRevokeVmAccess',
  grantVmGroupAccess: 'HcsGrantVmGroupAccess',
  revokeVmGroupAccess: 'HcsRevokeVmGroupAccess',
  createEmptyGuestStateFile: 'HcsCreateEmptyGuestStateFile',
  createEmptyRuntimeStateFile: 'HcsCreateEmptyRuntimeStateFile',
  getHostInfo: 'getHostInfo',
  listenVmSocket: 'hvsock listen',
  connectVmSocket: 'hvsock connect',
} as const);

/** Every call name, for checking what a caller passes. */
export const SIMULATED_CALLS: readonly SimulatedCall[] = Object.freeze(Object.keys(HCS_FUNCTION) as SimulatedCall[]);

export function isSimulatedCall(value: unknown): value is SimulatedCall {
  return typeof value === 'string' && Object.hasOwn(HCS_FUNCTION, value);
}
