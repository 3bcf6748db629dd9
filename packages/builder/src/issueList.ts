import type { ValidationIssue } from '@uvm/types';

/** Collects issues while a document is composed and checked, so `build()` can report them all at once. */
export class IssueList {
  readonly #issues: ValidationIssue[] = [];

  add(path: string, message: string): void {
    this.#issues.push({ path, message });
  }

  addAll(issues: readonly ValidationIssue[]): void {
    for (const i of issues) this.#issues.push(i);
  }

  get size(): number {
    return this.#issues.length;
  }

  toArray(): ValidationIssue[] {
    return [...this.#issues];
  }
}
