import {
  showValue,
  validateComputeSystem,
  type ComputeSystem,
  type HostFacts,
  type ValidationIssue,
} from '@uvm/types';
import { checkBoot } from './bootRules.js';
import { checkDevices } from './deviceRules.js';
import { IssueList } from './issueList.js';
import type { GuestOs, RuleContext } from './ruleContext.js';
import { checkSecurity } from './securityRules.js';
import { checkSystem } from './systemRules.js';
import { checkTopology } from './topologyRules.js';
import { isInteger, isRecord } from './values.js';

/** Who the document is for: the rules depend on the guest and on the host's build and processors. */
export interface CheckOptions {
  readonly os: GuestOs;
  readonly host: HostFacts;
  /** Report keys the HCS schema does not know (default true). */
  readonly strict?: boolean;
}

type Rule = (doc: ComputeSystem, ctx: RuleContext) => void;
const RULES: readonly Rule[] = [checkSystem, checkTopology, checkBoot, checkDevices, checkSecurity];

/**
 * Every problem with a utility VM document for this guest and host: the HCS schema (types, ranges,
 * unknown keys) and the builder's cross-field rules (LUN and share-name collisions, controller and
 * VPMem limits, boot method, NUMA totals, features the host build lacks). Never throws; an empty
 * list means HCS should accept the document.
 */
export function checkComputeSystem(document: unknown, options: CheckOptions): ValidationIssue[] {
  const issues = new IssueList();
  issues.addAll(optionIssues(options));
  runRules(document, options, issues);
  const schema = validateComputeSystem(document, { strict: options.strict !== false });
  if (!schema.ok) issues.addAll(schema.issues);
  return issues.toArray();
}

/** Runs the builder's own rules into `issues`; used by {@link checkComputeSystem} and `build()`. */
export function runRules(document: unknown, options: CheckOptions, issues: IssueList): void {
  if (!isRecord(document)) {
    issues.add('', `A ComputeSystem document must be a JSON object; got ${showValue(document)}.`);
    return;
  }
  const ctx: RuleContext = { os: options.os, host: options.host, hostKnown: optionIssues(options).length === 0, issues };
  for (const rule of RULES) {
    try {
      rule(document, ctx);
    } catch (error) {
      // A getter that throws or a value of an unexpected shape: report it, never let it escape.
      issues.add('', `The document could not be checked (${error instanceof Error ? error.message : showValue(error)}); make sure it is plain JSON data.`);
    }
  }
}

/** Problems with the guest and host facts themselves, at `/options/...`. */
export function optionIssues(options: { readonly os: unknown; readonly host: unknown }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (options.os !== 'linux' && options.os !== 'windows') {
    issues.push({ path: '/options/os', message: `The guest OS must be "linux" or "windows"; got ${showValue(options.os)}.` });
  }
  const host = options.host;
  if (!isRecord(host)) {
    issues.push({ path: '/options/host', message: 'Host facts are required: { windowsBuild, architecture, logicalProcessorCount }.' });
    return issues;
  }
  if (!isInteger(host.windowsBuild) || host.windowsBuild <= 0) {
    issues.push({ path: '/options/host/windowsBuild', message: `The Windows build must be a positive integer such as 26100; got ${showValue(host.windowsBuild)}.` });
  }
  if (host.architecture !== 'amd64' && host.architecture !== 'arm64') {
    issues.push({ path: '/options/host/architecture', message: `The host architecture must be "amd64" or "arm64"; got ${showValue(host.architecture)}.` });
  }
  if (!isInteger(host.logicalProcessorCount) || host.logicalProcessorCount < 1) {
    issues.push({
      path: '/options/host/logicalProcessorCount',
      message: `The host's logical processor count must be a positive integer; got ${showValue(host.logicalProcessorCount)}.`,
    });
  }
  if (host.processCpuCount !== undefined && !(isInteger(host.processCpuCount) && host.processCpuCount >= 1)) {
    issues.push({ path: '/options/host/processCpuCount', message: `The process CPU count must be a positive integer; got ${showValue(host.processCpuCount)}.` });
  }
  return issues;
}
