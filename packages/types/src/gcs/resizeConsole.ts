/**
 * ResizeConsole (gcs-bridge.md §3.11): resizes the pseudo-console of a process started with
 * `EmulateConsole`.
 */
import type { Static } from 'typebox';
import { struct, uint16, uint32 } from '../goSchema.js';
import { gcsRequestBaseFields } from './messageBase.js';
import { kept } from './wireFields.js';

export const GcsResizeConsoleRequestSchema = struct('GcsResizeConsoleRequest', {
  ...gcsRequestBaseFields,
  ProcessId: kept(uint32()),
  Height: kept(uint16()),
  Width: kept(uint16()),
});
export type GcsResizeConsoleRequest = Static<typeof GcsResizeConsoleRequestSchema>;
