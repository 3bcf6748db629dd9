/**
 * The body schemas of every procedure, for code that dispatches on the header `Type` (a bridge
 * client decoding responses, a simulated guest decoding requests).
 */
import type { TSchema } from 'typebox';
import { GcsCreateRequestSchema, GcsCreateResponseSchema, LinuxGuestCreateResponseSchema } from './create.js';
import { GcsDumpStacksResponseSchema, LinuxGuestDumpStacksResponseSchema } from './dumpStacks.js';
import { GcsExecuteProcessRequestSchema, GcsExecuteProcessResponseSchema, LinuxGuestExecuteProcessResponseSchema } from './executeProcess.js';
import { GcsGetPropertiesResponseSchema, GcsGetPropertiesV2RequestSchema, LinuxGuestGetPropertiesResponseSchema } from './getProperties.js';
import { GcsRequestBaseSchema, GcsResponseBaseSchema, LinuxGuestResponseBaseSchema } from './messageBase.js';
import { GcsModifyServiceSettingsRequestSchema } from './modifyServiceSettings.js';
import { GcsModifySettingsRequestSchema } from './modifySettings.js';
import { GcsNegotiateProtocolRequestSchema, GcsNegotiateProtocolResponseSchema, LinuxGuestNegotiateProtocolResponseSchema } from './negotiateProtocol.js';
import type { GcsProcedureName } from './procedures.js';
import { GcsResizeConsoleRequestSchema } from './resizeConsole.js';
import { GcsSignalProcessRequestSchema } from './signalProcess.js';
import { GcsWaitForProcessRequestSchema, GcsWaitForProcessResponseSchema, LinuxGuestWaitForProcessResponseSchema } from './waitForProcess.js';

/** The bodies of one procedure. */
export interface GcsBodySchemas {
  /** The request as the Go host writes it. */
  readonly request: TSchema;
  /** The response in the Go host's shape; it also validates the Linux guest's shape. */
  readonly response: TSchema;
  /** The successful response as the Linux GCS writes it (its errors are `LinuxGuestResponseBaseSchema`). */
  readonly linuxGuestResponse: TSchema;
}

const baseOnly: GcsBodySchemas = { request: GcsRequestBaseSchema, response: GcsResponseBaseSchema, linuxGuestResponse: LinuxGuestResponseBaseSchema };
const withBaseResponse = (request: TSchema): GcsBodySchemas => ({ ...baseOnly, request });

/**
 * Procedure name → body schemas. GetProperties lists the V2 query; the V1 query
 * (`GcsGetPropertiesRequestSchema`) travels in the same message. UpdateContainer and
 * LifecycleNotification have no defined body beyond the base.
 */
export const GCS_BODY_SCHEMAS: Readonly<Record<GcsProcedureName, GcsBodySchemas>> = {
  Create: { request: GcsCreateRequestSchema, response: GcsCreateResponseSchema, linuxGuestResponse: LinuxGuestCreateResponseSchema },
  Start: baseOnly,
  ShutdownGraceful: baseOnly,
  ShutdownForced: baseOnly,
  ExecuteProcess: {
    request: GcsExecuteProcessRequestSchema,
    response: GcsExecuteProcessResponseSchema,
    linuxGuestResponse: LinuxGuestExecuteProcessResponseSchema,
  },
  WaitForProcess: {
    request: GcsWaitForProcessRequestSchema,
    response: GcsWaitForProcessResponseSchema,
    linuxGuestResponse: LinuxGuestWaitForProcessResponseSchema,
  },
  SignalProcess: withBaseResponse(GcsSignalProcessRequestSchema),
  ResizeConsole: withBaseResponse(GcsResizeConsoleRequestSchema),
  GetProperties: {
    request: GcsGetPropertiesV2RequestSchema,
    response: GcsGetPropertiesResponseSchema,
    linuxGuestResponse: LinuxGuestGetPropertiesResponseSchema,
  },
  ModifySettings: withBaseResponse(GcsModifySettingsRequestSchema),
  NegotiateProtocol: {
    request: GcsNegotiateProtocolRequestSchema,
    response: GcsNegotiateProtocolResponseSchema,
    linuxGuestResponse: LinuxGuestNegotiateProtocolResponseSchema,
  },
  DumpStacks: { request: GcsRequestBaseSchema, response: GcsDumpStacksResponseSchema, linuxGuestResponse: LinuxGuestDumpStacksResponseSchema },
  DeleteContainerState: baseOnly,
  UpdateContainer: baseOnly,
  LifecycleNotification: baseOnly,
  ModifyServiceSettings: withBaseResponse(GcsModifyServiceSettingsRequestSchema),
};
