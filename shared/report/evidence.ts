import type { Ambiguity } from './model.ts';

/** What a table reader learnt about each cell: where it came from and how sure it is. */
export class Evidence {
  readonly sources: Record<string, string> = {};
  readonly inferred: string[] = [];
  readonly unreadable: string[] = [];
  readonly blank: string[] = [];
  readonly ambiguous: Ambiguity[] = [];
  readonly units: Record<string, string> = {};

  merge(other: Evidence): this {
    Object.assign(this.sources, other.sources);
    Object.assign(this.units, other.units);
    this.inferred.push(...other.inferred);
    this.unreadable.push(...other.unreadable);
    this.blank.push(...other.blank);
    this.ambiguous.push(...other.ambiguous);
    return this;
  }
}
