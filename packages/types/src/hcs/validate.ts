import { assertWith, validateWith, type ValidateOptions, type ValidationResult } from '../schemaValidation.js';
import { ComputeSystemSchema, type ComputeSystem } from './schema/computeSystem.js';
import { ProcessParametersSchema, type ProcessParameters } from './schema/processes.js';
import { PropertyQuerySchema, type PropertyQuery } from './schema/properties.js';
import { ModifySettingRequestSchema, type ModifySettingRequest } from './schema/requests.js';

/** Checks a document for HcsCreateComputeSystem; every problem is reported at once. Never throws. */
export function validateComputeSystem(doc: unknown, options?: ValidateOptions): ValidationResult<ComputeSystem> {
  return validateWith(ComputeSystemSchema, doc, options);
}

/** Returns `doc` typed as a `ComputeSystem`, or throws one `ValidationError` listing every problem. */
export function assertComputeSystem(doc: unknown, options?: ValidateOptions): ComputeSystem {
  return assertWith(ComputeSystemSchema, doc, 'ComputeSystem', options);
}

/** Checks a request for HcsModifyComputeSystem. Never throws. */
export function validateModifySettingRequest(doc: unknown, options?: ValidateOptions): ValidationResult<ModifySettingRequest> {
  return validateWith(ModifySettingRequestSchema, doc, options);
}

/** Returns `doc` typed as a `ModifySettingRequest`, or throws one `ValidationError`. */
export function assertModifySettingRequest(doc: unknown, options?: ValidateOptions): ModifySettingRequest {
  return assertWith(ModifySettingRequestSchema, doc, 'ModifySettingRequest', options);
}

/** Checks a property query for HcsGetComputeSystemProperties / HcsGetServiceProperties. Never throws. */
export function validatePropertyQuery(doc: unknown, options?: ValidateOptions): ValidationResult<PropertyQuery> {
  return validateWith(PropertyQuerySchema, doc, options);
}

/** Returns `doc` typed as a `PropertyQuery`, or throws one `ValidationError`. */
export function assertPropertyQuery(doc: unknown, options?: ValidateOptions): PropertyQuery {
  return assertWith(PropertyQuerySchema, doc, 'PropertyQuery', options);
}

/** Checks the parameters for HcsCreateProcess. Never throws. */
export function validateProcessParameters(doc: unknown, options?: ValidateOptions): ValidationResult<ProcessParameters> {
  return validateWith(ProcessParametersSchema, doc, options);
}

/** Returns `doc` typed as `ProcessParameters`, or throws one `ValidationError`. */
export function assertProcessParameters(doc: unknown, options?: ValidateOptions): ProcessParameters {
  return assertWith(ProcessParametersSchema, doc, 'ProcessParameters', options);
}
