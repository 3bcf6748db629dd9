/**
 * SignalProcess (gcs-bridge.md §3.10). Without `Options` the process is killed.
 */
import Type, { type Static } from 'typebox';
import { int64, stringEnum, struct, uint32 } from '../goSchema.js';
import { gcsRequestBaseFields } from './messageBase.js';
import { kept } from './wireFields.js';

/** The console events a Windows guest can deliver (`SignalValueWCOW`). */
export const WcowSignalValue = {
  CtrlC: 'CtrlC',
  CtrlBreak: 'CtrlBreak',
  CtrlClose: 'CtrlClose',
  CtrlLogOff: 'CtrlLogOff',
  CtrlShutdown: 'CtrlShutdown',
} as const;
export type WcowSignalValue = (typeof WcowSignalValue)[keyof typeof WcowSignalValue];

const WcowSignal = stringEnum('WcowSignalValue', WcowSignalValue);

/** LCOW options: a Linux signal number (0 or absent means SIGKILL). */
export const LcowSignalProcessOptionsSchema = struct('LcowSignalProcessOptions', {
  Signal: Type.Optional(int64()),
});
export type LcowSignalProcessOptions = Static<typeof LcowSignalProcessOptionsSchema>;

/** WCOW options: a console event. */
export const WcowSignalProcessOptionsSchema = struct('WcowSignalProcessOptions', {
  Signal: Type.Optional(WcowSignal),
});
export type WcowSignalProcessOptions = Static<typeof WcowSignalProcessOptionsSchema>;

/**
 * `Options` of either guest. A Linux signal must be 1 or more here: Go omits a 0 that this
 * combined field would write, and 0 means SIGKILL anyway (send no `Options` for that).
 */
export const GcsSignalProcessOptionsSchema = struct('GcsSignalProcessOptions', {
  Signal: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 0x7fffffff }), WcowSignal])),
});
export type GcsSignalProcessOptions = Static<typeof GcsSignalProcessOptionsSchema>;

export const GcsSignalProcessRequestSchema = struct('GcsSignalProcessRequest', {
  ...gcsRequestBaseFields,
  ProcessId: kept(uint32()),
  Options: Type.Optional(GcsSignalProcessOptionsSchema),
});
export type GcsSignalProcessRequest = Static<typeof GcsSignalProcessRequestSchema>;
