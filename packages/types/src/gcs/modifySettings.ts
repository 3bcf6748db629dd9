/**
 * ModifySettings (gcs-bridge.md §3.13): adds, removes or updates a guest resource. The null
 * container id addresses the UVM; a container id addresses that container (LCOW accepts only
 * `ContainerConstraints` there). The response is the base only.
 */
import Type, { type Static } from 'typebox';
import { goField } from '../goJson.js';
import { struct } from '../goSchema.js';
import type { GcsGuestOs } from './capabilities.js';
import { GuestModificationRequestSchema } from './guestModification.js';
import { guestResourceSettingsSchema } from './guestResourceSettings.js';
import { gcsRequestBaseFields } from './messageBase.js';

export const GcsModifySettingsRequestSchema = struct('GcsModifySettingsRequest', {
  ...gcsRequestBaseFields,
  /** A nested object, not JSON-in-string. */
  Request: goField(GuestModificationRequestSchema, { keep: true, zero: null }),
});
export type GcsModifySettingsRequest = Static<typeof GcsModifySettingsRequestSchema>;

// One map per OS, keyed by resource type: no key string is built per call.
const specialized = new Map<string, Map<string, typeof GcsModifySettingsRequestSchema>>([
  ['linux', new Map()],
  ['windows', new Map()],
]);

/**
 * {@link GcsModifySettingsRequestSchema} with `Request.Settings` described by the settings schema of
 * `resourceType` on `os`, so that validating it checks the settings and `toGoJson` writes them in
 * Go's shape (key order, omitted zero values). Undefined when that guest does not handle the
 * resource. The schemas are built once per resource and OS.
 */
export function gcsModifySettingsRequestSchema(resourceType: string, os: GcsGuestOs): typeof GcsModifySettingsRequestSchema | undefined {
  // A JavaScript caller may pass any os; it finds no map and no schema.
  const forOs = specialized.get(os);
  if (forOs === undefined) return undefined;
  const cached = forOs.get(resourceType);
  if (cached !== undefined) return cached;
  const settings = guestResourceSettingsSchema(resourceType, os);
  if (settings === undefined) return undefined;
  const request = struct('GuestModificationRequest', {
    ...GuestModificationRequestSchema.properties,
    Settings: Type.Optional(settings),
  });
  const schema = struct('GcsModifySettingsRequest', {
    ...gcsRequestBaseFields,
    Request: goField(request, { keep: true, zero: null }),
  }) as unknown as typeof GcsModifySettingsRequestSchema;
  forOs.set(resourceType, schema);
  return schema;
}
