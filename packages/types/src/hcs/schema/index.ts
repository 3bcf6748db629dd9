// STAND-IN until the real HCS schema (branch wip-schema) is merged: loose types with the final names.
type Doc = Record<string, unknown>;
export type ComputeSystem = Doc;
export type ModificationRequest = Doc;
export type ModifySettingRequest = Doc;
export type PauseOptions = Doc;
export type ProcessModifyRequest = Doc;
export type ProcessParameters = Doc;
export interface ProcessStatus { ProcessId?: number; Exited?: boolean; ExitCode?: number; LastWaitResult?: number }
export type Properties = Doc;
export type PropertyQuery = Doc;
export type SaveOptions = Doc;
export interface ServiceProperties { Properties?: unknown[] }
export type StartOptions = Doc;
export interface OperationSystemMigrationNotificationInfo { Origin?: string; Event?: string; Result?: string; AdditionalDetails?: unknown }
