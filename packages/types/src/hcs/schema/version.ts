import { type Static } from 'typebox';
import { int32, opt, struct } from '../../goSchema.js';

/** A schema or VM configuration version; `{2, 0}` serializes as `{"Major":2}`. */
export const VersionSchema = struct('Version', {
  Major: opt(int32()),
  Minor: opt(int32()),
});
export type Version = Static<typeof VersionSchema>;
