/**
 * ResizeConsole (gcs-bridge.md §3.11): resizes the pseudo-console of a process started with
 * `EmulateConsole`.
 */
import Type, { type Static } from 'typebox';
import { gcsRequestBaseFields } from './messageBase.js';
import { kept, Uint16, Uint32 } from './wireFields.js';

export const GcsResizeConsoleRequestSchema = Type.Object({
  ...gcsRequestBaseFields,
  ProcessId: kept(Uint32),
  Height: kept(Uint16),
  Width: kept(Uint16),
});
export type GcsResizeConsoleRequest = Static<typeof GcsResizeConsoleRequestSchema>;
