import type { HostFacts } from '@uvm/types';
import type { IssueList } from './issueList.js';

/** The guest operating system of a utility VM. */
export type GuestOs = 'linux' | 'windows';

/** What every document rule reads besides the document: the guest, the host, and where issues go. */
export interface RuleContext {
  readonly os: GuestOs;
  readonly host: HostFacts;
  /** False when the host facts themselves are bad; rules that depend on them are skipped. */
  readonly hostKnown: boolean;
  readonly issues: IssueList;
}
