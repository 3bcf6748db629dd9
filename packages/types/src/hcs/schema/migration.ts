import Type, { type Static } from 'typebox';
import { goField } from '../../goJson.js';
import { float64, opt, ptr, struct, uint32, uint64, uint8 } from '../../goSchema.js';
import { ZERO_TIME, base64, dateTime } from '../../stringFormats.js';
import { MigrationEventSchema, MigrationFinalOperationSchema, MigrationMemoryTransportSchema, MigrationOriginSchema, MigrationResultSchema } from './enums.js';

/** Opaque compatibility data (base64) exchanged between migration source and destination. */
export const CompatibilityInfoSchema = struct('CompatibilityInfo', {
  Data: opt(base64()),
});
export type CompatibilityInfo = Static<typeof CompatibilityInfoSchema>;

/** Throttling of the memory transfer; all pointer fields, so `false` and `0` are written. */
export const MemoryMigrationTransferThrottleParamsSchema = struct('MemoryMigrationTransferThrottleParams', {
  SkipThrottling: ptr(Type.Boolean()),
  ThrottlingScale: ptr(float64()),
  MinimumThrottlePercentage: ptr(uint8()),
  TargetNumberOfBrownoutTransferPasses: ptr(uint32()),
  StartingBrownoutPassNumberForThrottling: ptr(uint32()),
  MaximumNumberOfBrownoutTransferPasses: ptr(uint32()),
  TargetBlackoutTransferTime: ptr(uint32()),
  BlackoutTimeThresholdForCancellingMigration: ptr(uint32()),
});
export type MemoryMigrationTransferThrottleParams = Static<typeof MemoryMigrationTransferThrottleParamsSchema>;

/** Compression of the memory transfer. */
export const MigrationCompressionSettingsSchema = struct('MigrationCompressionSettings', {
  ThrottleWorkerCount: ptr(uint32()),
});
export type MigrationCompressionSettings = Static<typeof MigrationCompressionSettingsSchema>;

/** Live-migration settings, on the source and stamped on the destination's document (hcs-host.md §5.10). */
export const MigrationInitializeOptionsSchema = struct('MigrationInitializeOptions', {
  Origin: opt(MigrationOriginSchema),
  MemoryTransport: opt(MigrationMemoryTransportSchema),
  MemoryTransferThrottleParams: opt(MemoryMigrationTransferThrottleParamsSchema),
  CompressionSettings: opt(MigrationCompressionSettingsSchema),
  ChecksumVerification: opt(Type.Boolean()),
  PerfTracingEnabled: opt(Type.Boolean()),
  CancelIfBlackoutThresholdExceeds: opt(Type.Boolean()),
  PrepareMemoryTransferMode: opt(Type.Boolean()),
  CompatibilityData: opt(CompatibilityInfoSchema),
});
export type MigrationInitializeOptions = Static<typeof MigrationInitializeOptionsSchema>;

/** The migration session. */
export const MigrationNetworkSettingsSchema = struct('MigrationNetworkSettings', {
  SessionId: opt(uint32()),
});
export type MigrationNetworkSettings = Static<typeof MigrationNetworkSettingsSchema>;

/** How the destination of a live migration starts. */
export const MigrationStartOptionsSchema = struct('MigrationStartOptions', {
  NetworkSettings: opt(MigrationNetworkSettingsSchema),
});
export type MigrationStartOptions = Static<typeof MigrationStartOptionsSchema>;

/** The options of HcsStartComputeSystem for a migration destination. */
export const StartOptionsSchema = struct('StartOptions', {
  DestinationMigrationOptions: opt(MigrationStartOptionsSchema),
});
export type StartOptions = Static<typeof StartOptionsSchema>;

/** The options of a live-migration transfer. */
export const MigrationTransferOptionsSchema = struct('MigrationTransferOptions', {
  Origin: opt(MigrationOriginSchema),
});
export type MigrationTransferOptions = Static<typeof MigrationTransferOptionsSchema>;

/** The options of a live-migration cancel. */
export const MigrationCancelOptionsSchema = struct('MigrationCancelOptions', {
  Origin: opt(MigrationOriginSchema),
});
export type MigrationCancelOptions = Static<typeof MigrationCancelOptionsSchema>;

/** The options of a live-migration finalize: resume or stop. */
export const MigrationFinalizedOptionsSchema = struct('MigrationFinalizedOptions', {
  Origin: opt(MigrationOriginSchema),
  FinalizedOperation: opt(MigrationFinalOperationSchema),
});
export type MigrationFinalizedOptions = Static<typeof MigrationFinalizedOptionsSchema>;

/** The payload of a live-migration event (hcs-host.md §2.3, §5.10). */
export const OperationSystemMigrationNotificationInfoSchema = struct('OperationSystemMigrationNotificationInfo', {
  Origin: opt(MigrationOriginSchema),
  Event: opt(MigrationEventSchema),
  Result: opt(MigrationResultSchema),
  AdditionalDetails: opt(Type.Unknown()),
});
export type OperationSystemMigrationNotificationInfo = Static<typeof OperationSystemMigrationNotificationInfoSchema>;

/** `AdditionalDetails` of a `BlackoutExited` migration event; the timestamp is always written. */
export const BlackoutExitedEventDetailsSchema = struct('BlackoutExitedEventDetails', {
  BlackoutDurationMilliseconds: opt(uint64()),
  BlackoutStopTimestamp: goField(dateTime(), { keep: true, zero: ZERO_TIME }),
});
export type BlackoutExitedEventDetails = Static<typeof BlackoutExitedEventDetailsSchema>;
