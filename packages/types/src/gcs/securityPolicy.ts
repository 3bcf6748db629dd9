/**
 * Settings of the confidential resources both guests accept (gcs-bridge.md §4.3).
 */
import Type, { type Static } from 'typebox';
import { struct } from '../goSchema.js';

/** `SecurityPolicy` (Add): the policy a confidential guest enforces from then on. */
export const ConfidentialOptionsSchema = struct('ConfidentialOptions', {
  /** The policy engine, e.g. `rego`. */
  EnforcerType: Type.Optional(Type.String()),
  /** Base64 policy. */
  EncodedSecurityPolicy: Type.Optional(Type.String()),
  /** Base64 COSE_Sign1 UVM reference info. */
  EncodedUVMReference: Type.Optional(Type.String()),
  /** Base64 hash-envelope reference info. */
  EncodedUVMHashEnvelopeReference: Type.Optional(Type.String()),
});
export type ConfidentialOptions = Static<typeof ConfidentialOptionsSchema>;

/** `SecurityPolicyFragment` (Add): a signed policy fragment. */
export const SecurityPolicyFragmentSchema = struct('SecurityPolicyFragment', {
  /** Base64 signed blob. */
  Fragment: Type.Optional(Type.String()),
  /** Empty means `application/cose-x509+rego`. */
  MediaType: Type.Optional(Type.String()),
});
export type SecurityPolicyFragment = Static<typeof SecurityPolicyFragmentSchema>;
