// Whether two statements may run at the same time, and if not, the first reason why — in the
// order the rules are stated (seq, data dependency, write/write, polymorphic effects, effect matrix).

import { hasLiteralKey, renderAtom, type EffectAtom } from "../effects/index.js";
import type { StmtFacts } from "./facts.js";

export type SerializedBy =
  | { category: "seq_ordering" }
  | { category: "data_dependency"; kind: "raw" | "war" | "ww"; vars: string[] }
  | { category: "polymorphic_effect" }
  | { category: "effect_conflict"; resource: string; verbs: [string, string] };

export interface Conflict {
  serializedBy: SerializedBy;
  reason: string;
  /** The resource of an effect conflict, "" otherwise. */
  resource: string;
  /** The conflicting atoms (effect conflicts only), one from each statement. */
  atoms?: [EffectAtom, EffectAtom];
}

const BUILTIN_VERBS = new Set(["reads", "writes", "sends", "receives", "allocates", "panics", "blocks", "suspends"]);

/** The auto-par verb matrix for two atoms. */
export function atomsConflict(a: EffectAtom, b: EffectAtom): boolean {
  if (!a.resource || !b.resource || a.resource !== b.resource) return false;
  // Distinct literal keys are different partitions; a non-literal key may be any partition.
  if (hasLiteralKey(a) && hasLiteralKey(b) && a.key !== b.key) return false;
  const va = a.verb;
  const vb = b.verb;
  const rw = (v: string): boolean => v === "reads" || v === "writes";
  if (rw(va) && rw(vb)) return va === "writes" || vb === "writes";
  if (va === "sends" && vb === "sends") return true;
  if (va === "receives" && vb === "receives") return true;
  if (!BUILTIN_VERBS.has(va) && !BUILTIN_VERBS.has(vb)) return va === vb;
  return false;
}

function sorted(xs: Iterable<string>): string[] {
  return [...xs].sort();
}

function intersect(a: Set<string>, b: Set<string>): string[] {
  return sorted([...a].filter((x) => b.has(x)));
}

const quoteVars = (vs: string[]): string => vs.map((v) => `\`${v}\``).join(", ");

function hasEffectActivity(f: StmtFacts): boolean {
  return f.effects.length > 0 || f.polymorphic || f.opaqueCall;
}

/** `a` comes before `b` in the body. Returns undefined when they are independent. */
export function statementsConflict(a: StmtFacts, b: StmtFacts): Conflict | undefined {
  if (a.seq || b.seq) return { serializedBy: { category: "seq_ordering" }, reason: "explicit seq ordering", resource: "" };
  const raw = intersect(a.defines, b.reads);
  if (raw.length) {
    return { serializedBy: { category: "data_dependency", kind: "raw", vars: raw }, reason: `data dependency on ${quoteVars(raw)}`, resource: "" };
  }
  const war = intersect(b.defines, a.reads);
  if (war.length) {
    return { serializedBy: { category: "data_dependency", kind: "war", vars: war }, reason: `data dependency on ${quoteVars(war)}`, resource: "" };
  }
  const ww = intersect(a.defines, b.defines);
  if (ww.length) {
    return { serializedBy: { category: "data_dependency", kind: "ww", vars: ww }, reason: `both assign ${quoteVars(ww)}`, resource: "" };
  }
  // A call through a function value may do anything, including writing what its closure captured.
  if (a.opaqueCall || b.opaqueCall || (a.polymorphic && hasEffectActivity(b)) || (b.polymorphic && hasEffectActivity(a))) {
    return {
      serializedBy: { category: "polymorphic_effect" },
      reason: "polymorphic-effect call — effects unknown at analysis time",
      resource: "",
    };
  }
  for (const x of a.effects) {
    for (const y of b.effects) {
      if (!atomsConflict(x, y)) continue;
      const r = x.resource ?? "";
      return {
        serializedBy: { category: "effect_conflict", resource: r, verbs: [x.verb, y.verb] },
        reason: `${renderAtom(x)} conflicts with ${renderAtom(y)}`,
        resource: r,
        atoms: [x, y],
      };
    }
  }
  return undefined;
}
