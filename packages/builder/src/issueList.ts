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

  /**
   * Adds the issues of another checker (the schema validator) except where an issue already names
   * the same place or a place around it: the builder's sentence there is the more useful one.
   */
  addUncovered(issues: readonly ValidationIssue[]): void {
    const covered = this.#issues.map((i) => i.path);
    for (const issue of issues) {
      if (!covered.some((path) => issue.path === path || issue.path.startsWith(path + '/'))) this.#issues.push(issue);
    }
  }

  get size(): number {
    return this.#issues.length;
  }

  toArray(): ValidationIssue[] {
    return [...this.#issues];
  }
}
