import { showValue } from '@uvm/types';
import type { HostFacts, Logger, ValidationIssue } from '@uvm/types';
import type { GuestOs } from './ruleContext.js';

/**
 * What every sub-builder shares: the guest and host, the injected GUID source, and the issues a
 * setter or a preset recorded (a setter never throws; `build()` reports them with everything else).
 */
export class BuilderCore {
  readonly recorded: ValidationIssue[] = [];

  constructor(
    readonly os: GuestOs,
    readonly host: HostFacts,
    readonly newGuid: () => string,
    readonly logger: Logger,
  ) {}

  record(path: string, message: string): void {
    this.recorded.push({ path, message });
  }

  /**
   * Runs a setter body; a throw from reading the caller's value (a getter that throws, a proxy) is
   * recorded against `path` instead of escaping from the setter chain.
   */
  guard(path: string, what: string, body: () => void): void {
    try {
      body();
    } catch (error) {
      this.record(path, `${what} could not be read (${error instanceof Error ? error.message : showValue(error)}); pass plain data.`);
    }
  }
}
