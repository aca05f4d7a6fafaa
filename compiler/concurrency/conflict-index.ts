// Conflict queries over a body's statements without comparing them pairwise.
//
// `statementsConflict(a, b)` (conflicts.ts) is the rule for one ordered pair. Whether it finds a
// conflict at all depends only on the two statements' footprints, and it can be restated as a
// shared key: statement `a` *publishes* keys, statement `b` *queries* keys, and
//   statementsConflict(a, b) !== undefined  ⇔  publish(a) ∩ query(b) ≠ ∅.
// With that, "the first earlier statement that conflicts with this one" is a lookup per queried
// key in an index of who published it (first / last publisher), so a body of n statements costs
// O(size of all footprints) instead of O(n²) pair checks. The exact reason for a pair that does
// conflict is still produced by `statementsConflict`, once per reported pair.

import { hasLiteralKey, type EffectAtom } from "../effects/index.js";
import type { StmtFacts } from "./facts.js";

/** A statement's keys, as small integers (see `KeyTable`); each list is free of duplicates. */
export interface Footprint {
  publish: number[];
  query: number[];
}

/** Published by every statement: queried by a statement that conflicts with anything before it. */
const EVERY = 0;
/** Published by a `seq` statement or an opaque call, which conflicts with everything after it. */
const BARRIER = 1;
/** Published by a statement calling a `with _` function: conflicts with any effect activity. */
const POLYMORPHIC = 2;
/** Published by a statement with effect activity: conflicts with a later polymorphic call. */
const ACTIVE = 3;

/**
 * Numbers the keys of one body: the fixed ones above, then per kind of key its names as met. A
 * key is looked up by its parts (a binding's name is used as it is, not joined into a new string),
 * and the indexes below are plain arrays over the numbers.
 */
export class KeyTable {
  private readonly kinds = new Map<string, Map<string, number>>();
  count = 4;

  id(kind: string, name: string): number {
    let names = this.kinds.get(kind);
    if (!names) this.kinds.set(kind, (names = new Map()));
    let k = names.get(name);
    if (k === undefined) names.set(name, (k = this.count++));
    return k;
  }
}

// Kinds of named keys. Atom keys are named by their resource and, for a literal key, the partition.
const DEFINED = "d"; // a binding the statement writes
const READ = "r"; // a binding the statement reads
const atomAny = (verb: string): string => `e ${verb}`; // any atom of (verb, resource), whatever its key
const atomUnkeyed = (verb: string): string => `u ${verb}`; // a non-literal key: any partition
const atomKeyed = (verb: string, resource: string): string => `k ${verb} ${resource}`; // one literal partition

const BUILTIN_VERBS = new Set(["reads", "writes", "sends", "receives", "allocates", "panics", "blocks", "suspends"]);

/** Verbs an atom with verb `v` conflicts with on the same resource (the matrix of `atomsConflict`). */
function conflictingVerbs(v: string): string[] {
  switch (v) {
    case "reads":
      return ["writes"];
    case "writes":
      return ["reads", "writes"];
    case "sends":
      return ["sends"];
    case "receives":
      return ["receives"];
    default:
      return BUILTIN_VERBS.has(v) ? [] : [v];
  }
}

function hasEffectActivity(f: StmtFacts): boolean {
  return f.effects.length > 0 || f.polymorphic || f.opaqueCall;
}

/** The keys of one statement. */
export function footprint(f: StmtFacts, keys: KeyTable): Footprint {
  const publish = new Set<number>([EVERY]);
  const query = new Set<number>([BARRIER]);
  if (f.seq || f.opaqueCall) {
    publish.add(BARRIER);
    query.add(EVERY);
  }
  if (f.polymorphic) {
    publish.add(POLYMORPHIC);
    query.add(ACTIVE);
  }
  if (hasEffectActivity(f)) {
    publish.add(ACTIVE);
    query.add(POLYMORPHIC);
  }
  for (const n of f.defines) {
    const d = keys.id(DEFINED, n);
    publish.add(d);
    query.add(d); // write after write
    query.add(keys.id(READ, n)); // write after read
  }
  for (const n of f.reads) {
    publish.add(keys.id(READ, n));
    query.add(keys.id(DEFINED, n)); // read after write
  }
  for (const a of f.effects) addAtom(a, keys, publish, query);
  return { publish: [...publish], query: [...query] };
}

function addAtom(a: EffectAtom, keys: KeyTable, publish: Set<number>, query: Set<number>): void {
  if (!a.resource) return;
  const r = a.resource;
  const literal = hasLiteralKey(a);
  publish.add(keys.id(atomAny(a.verb), r));
  publish.add(literal ? keys.id(atomKeyed(a.verb, r), a.key!) : keys.id(atomUnkeyed(a.verb), r));
  for (const v of conflictingVerbs(a.verb)) {
    if (literal) {
      // A literal partition meets the same partition and every non-literal key.
      query.add(keys.id(atomKeyed(v, r), a.key!));
      query.add(keys.id(atomUnkeyed(v), r));
    } else query.add(keys.id(atomAny(v), r));
  }
}

/**
 * For each statement, the latest earlier statement it conflicts with (-1 when none), and the
 * earliest later statement it conflicts with (n when none).
 */
export function nearestConflicts(prints: Footprint[], keyCount: number): { before: Int32Array; after: Int32Array } {
  const n = prints.length;
  const before = new Int32Array(n);
  const after = new Int32Array(n);
  const lastPublisher = new Int32Array(keyCount).fill(-1);
  for (let j = 0; j < n; j++) {
    let latest = -1;
    for (const k of prints[j].query) if (lastPublisher[k] > latest) latest = lastPublisher[k];
    before[j] = latest;
    for (const k of prints[j].publish) lastPublisher[k] = j;
  }
  const firstQuerier = new Int32Array(keyCount).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    let earliest = n;
    for (const k of prints[i].publish) if (firstQuerier[k] < earliest) earliest = firstQuerier[k];
    after[i] = earliest;
    for (const k of prints[i].query) firstQuerier[k] = i;
  }
  return { before, after };
}

/**
 * A run of consecutive statements [start, end) that grows at the end and shrinks at the front,
 * answering "which is the first member that conflicts with statement c?" by key lookups. Each
 * statement enters and leaves once, so a whole scan costs the size of the footprints.
 */
export class ConflictWindow {
  /** Per key, the members publishing it in order; the live ones start at `heads[key]`. */
  private readonly queues: number[][];
  private readonly heads: Int32Array;
  start = 0;
  end = 0;

  constructor(
    private readonly prints: Footprint[],
    keyCount: number,
  ) {
    this.queues = Array.from({ length: keyCount }, () => []);
    this.heads = new Int32Array(keyCount);
  }

  /** Empties the window and places it at `at`. */
  reset(at: number): void {
    for (let i = this.start; i < this.end; i++) {
      for (const k of this.prints[i].publish) {
        this.queues[k].length = 0;
        this.heads[k] = 0;
      }
    }
    this.start = at;
    this.end = at;
  }

  /** Adds statement `end` as the window's last member. */
  push(): void {
    const i = this.end++;
    for (const k of this.prints[i].publish) this.queues[k].push(i);
  }

  /** Drops the window's first member. */
  shift(): void {
    const i = this.start++;
    for (const k of this.prints[i].publish) this.heads[k]++;
  }

  /** The first member statement `c` conflicts with, if any. */
  firstConflict(c: number): number | undefined {
    let first: number | undefined;
    for (const k of this.prints[c].query) {
      const q = this.queues[k];
      const h = this.heads[k];
      if (h >= q.length) continue;
      if (first === undefined || q[h] < first) first = q[h];
    }
    return first;
  }
}
