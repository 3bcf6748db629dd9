import Type, { type Static } from 'typebox';
import { int32, opt, struct } from '../../goSchema.js';

/** A Windows SYSTEMTIME. */
export const SystemTimeSchema = struct('SystemTime', {
  Year: opt(int32()),
  Month: opt(int32()),
  DayOfWeek: opt(int32()),
  Day: opt(int32()),
  Hour: opt(int32()),
  Minute: opt(int32()),
  Second: opt(int32()),
  Milliseconds: opt(int32()),
});
export type SystemTime = Static<typeof SystemTimeSchema>;

/** A Windows time zone. */
export const TimeZoneInformationSchema = struct('TimeZoneInformation', {
  Bias: opt(int32()),
  StandardName: opt(Type.String()),
  StandardDate: opt(SystemTimeSchema),
  StandardBias: opt(int32()),
  DaylightName: opt(Type.String()),
  DaylightDate: opt(SystemTimeSchema),
  DaylightBias: opt(int32()),
});
export type TimeZoneInformation = Static<typeof TimeZoneInformationSchema>;
