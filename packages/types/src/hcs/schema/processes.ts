import Type, { type Static } from 'typebox';
import { goField } from '../../goJson.js';
import { anyKey, int32, map, opt, struct, uint16, uint32 } from '../../goSchema.js';
import { ZERO_TIME, dateTime } from '../../stringFormats.js';
import { ProcessModifyOperationSchema, StdioHandleSchema } from './enums.js';

/** How HcsCreateProcess starts a process: command, user, environment, stdio pipes (hcs-host.md §5.7). */
export const ProcessParametersSchema = struct('ProcessParameters', {
  ApplicationName: opt(Type.String()),
  CommandLine: opt(Type.String()),
  CommandArgs: opt(Type.Array(Type.String())),
  User: opt(Type.String()),
  WorkingDirectory: opt(Type.String()),
  Environment: opt(map(anyKey(), Type.String())),
  RestrictedToken: opt(Type.Boolean()),
  EmulateConsole: opt(Type.Boolean()),
  CreateStdInPipe: opt(Type.Boolean()),
  CreateStdOutPipe: opt(Type.Boolean()),
  CreateStdErrPipe: opt(Type.Boolean()),
  ConsoleSize: opt(Type.Array(int32(), { minItems: 2, maxItems: 2 })),
  UseExistingLogin: opt(Type.Boolean()),
  UseLegacyConsole: opt(Type.Boolean()),
});
export type ProcessParameters = Static<typeof ProcessParametersSchema>;

/** Which std handle of a process to close. */
export const CloseHandleSchema = struct('CloseHandle', {
  Handle: opt(StdioHandleSchema),
});
export type CloseHandle = Static<typeof CloseHandleSchema>;

/** A console size in characters. */
export const ConsoleSizeSchema = struct('ConsoleSize', {
  Height: opt(uint16()),
  Width: opt(uint16()),
});
export type ConsoleSize = Static<typeof ConsoleSizeSchema>;

/** The body of HcsModifyProcess: resize the console or close a std handle (hcs-host.md §2.3). */
export const ProcessModifyRequestSchema = struct('ProcessModifyRequest', {
  Operation: opt(ProcessModifyOperationSchema),
  ConsoleSize: opt(ConsoleSizeSchema),
  CloseHandle: opt(CloseHandleSchema),
});
export type ProcessModifyRequest = Static<typeof ProcessModifyRequestSchema>;

/** The exit status HCS reports when a process exits (hcs-host.md §2.3). */
export const ProcessStatusSchema = struct('ProcessStatus', {
  ProcessId: opt(uint32()),
  Exited: opt(Type.Boolean()),
  ExitCode: opt(uint32()),
  LastWaitResult: opt(int32()),
});
export type ProcessStatus = Static<typeof ProcessStatusSchema>;

/** One process in a `ProcessList` property answer. */
export const ProcessDetailsSchema = struct('ProcessDetails', {
  ProcessId: opt(int32()),
  ImageName: opt(Type.String()),
  CreateTimestamp: goField(dateTime(), { keep: true, zero: ZERO_TIME }),
  UserTime100ns: opt(int32()),
  KernelTime100ns: opt(int32()),
  MemoryCommitBytes: opt(int32()),
  MemoryWorkingSetPrivateBytes: opt(int32()),
  MemoryWorkingSetSharedBytes: opt(int32()),
});
export type ProcessDetails = Static<typeof ProcessDetailsSchema>;
