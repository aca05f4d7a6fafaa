// Effect atoms: the unit every part of the effect phase (and the auto-parallelisation pass)
// speaks. An atom is a verb, optionally applied to a resource, optionally keyed:
// `panics`, `reads(UserDB)`, `allocates(Heap)`, `writes(Shard[1])`.

import type { Span } from "../tir/nodes.js";

export type EffectAtom = { verb: string; resource?: string; key?: string };

/** Resource verbs take a resource; execution verbs are written bare. */
export const RESOURCE_VERBS = ["reads", "writes", "sends", "receives", "allocates"] as const;
export const BARE_VERBS = ["panics", "blocks", "suspends"] as const;
export const BUILTIN_VERBS: ReadonlySet<string> = new Set<string>([...RESOURCE_VERBS, ...BARE_VERBS]);

/** Resources every program may name without declaring them. */
export const BUILTIN_RESOURCES: ReadonlySet<string> = new Set([
  "FileSystem", "Stdin", "Stdout", "Stderr", "Clock", "Env", "Network", "RandomSource", "Heap", "GpuBuffer", "Hardware",
]);

/** Verbs whose atoms let a `par` branch observe cancellation at a call (effects-concurrency §4.2). */
export const BOUNDARY_VERBS: ReadonlySet<string> = new Set(["reads", "writes", "sends", "receives"]);

export const PANICS: EffectAtom = { verb: "panics" };
export const ALLOCATES_HEAP: EffectAtom = { verb: "allocates", resource: "Heap" };
export const SUSPENDS: EffectAtom = { verb: "suspends" };

/** Suffix of the unnameable resource a module-level `let mut NAME` stands for (karac: `NAME_resource`). */
export const MODULE_BINDING_SUFFIX = "_resource";

export function moduleBindingResource(name: string): string {
  return name + MODULE_BINDING_SUFFIX;
}

/**
 * Whether the atom's key names one known partition. Only integer literals do (their decimal
 * value); any other key is written as a name (`k`, `_`) and may be any partition.
 */
export function hasLiteralKey(a: EffectAtom): boolean {
  return a.key !== undefined && /^-?\d+$/.test(a.key);
}

/** Identity of an atom. Keys take part: `writes(Shard[1])` and `writes(Shard[2])` are different atoms. */
export function atomKey(a: EffectAtom): string {
  const cached = keyCache.get(a);
  if (cached !== undefined) return cached;
  const k = a.resource === undefined ? a.verb : a.key === undefined ? `${a.verb}(${a.resource})` : `${a.verb}(${a.resource}[${a.key}])`;
  keyCache.set(a, k);
  return k;
}

// Atoms are shared by reference as they flow through the call graph; their keys are computed once.
// (Atoms are treated as immutable once created.)
const keyCache = new WeakMap<EffectAtom, string>();

/** Identity for `pub fn` verification, which matches per (verb, resource) only (karac ignores keys there). */
export function verbResourceKey(a: EffectAtom): string {
  return a.resource === undefined ? a.verb : `${a.verb}(${a.resource})`;
}

/** karac's spelling: `reads(UserDB)`, `panics`, `writes(Shard[1])`. */
export const renderAtom = atomKey;

const VERB_ORDER = ["reads", "writes", "sends", "receives", "allocates", "panics", "blocks", "suspends"];

/** Stable presentation order: built-in verbs in declaration order, then user verbs, then resource. */
export function compareAtoms(a: EffectAtom, b: EffectAtom): number {
  const ia = VERB_ORDER.indexOf(a.verb);
  const ib = VERB_ORDER.indexOf(b.verb);
  const ra = ia < 0 ? VERB_ORDER.length : ia;
  const rb = ib < 0 ? VERB_ORDER.length : ib;
  if (ra !== rb) return ra - rb;
  return atomKey(a) < atomKey(b) ? -1 : atomKey(a) > atomKey(b) ? 1 : 0;
}

/** Where an atom entered a function's set: its own body, or a call. */
export interface Origin {
  span: Span;
  /** The callee through which the atom arrived; absent for the function's own operations. */
  via?: string;
}

/** An ordered set of atoms keyed by identity, remembering the first origin of each. */
export class AtomSet {
  private readonly map = new Map<string, { atom: EffectAtom; origin?: Origin }>();

  get size(): number {
    return this.map.size;
  }

  /** Adds the atom; returns true when it was new. */
  add(atom: EffectAtom, origin?: Origin): boolean {
    const k = atomKey(atom);
    if (this.map.has(k)) return false;
    this.map.set(k, { atom, origin });
    return true;
  }

  has(atom: EffectAtom): boolean {
    return this.map.has(atomKey(atom));
  }

  originOf(atom: EffectAtom): Origin | undefined {
    return this.map.get(atomKey(atom))?.origin;
  }

  /** The atoms in presentation order. */
  atoms(): EffectAtom[] {
    return [...this.map.values()].map((e) => e.atom).sort(compareAtoms);
  }

  /** The atoms with their origins, in insertion order (no sorting: for hot loops). */
  entries(): IterableIterator<{ atom: EffectAtom; origin?: Origin }> {
    return this.map.values();
  }
}
