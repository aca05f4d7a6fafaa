// The atoms the language's own operations create (effects-concurrency §1.4). Output is not an
// effect in karac (println infers nothing); atomics, fences and `lock` add nothing either.
// Which builtin creates which atom is stated once, in the builtin registry (compiler/tir).

import type { BuiltinOp } from "../tir/nodes.js";
import { BUILTIN_REGISTRY, opsWithRole, type BuiltinRegistry, type LeafEffect } from "../tir/builtins.js";
import { ALLOCATES_HEAP, PANICS, SUSPENDS, type EffectAtom } from "./atoms.js";

// Shared atom objects: atoms are compared and keyed by identity downstream.
const ATOM_OF: Record<LeafEffect, EffectAtom> = { panics: PANICS, allocates: ALLOCATES_HEAP, suspends: SUSPENDS };

function atomsByOp(registry: BuiltinRegistry): ReadonlyMap<string, EffectAtom[]> {
  return new Map(registry.opsWhere((d) => (d.effects?.length ?? 0) > 0).map((op) => [op, registry.effects(op).map((e) => ATOM_OF[e])]));
}

const DEFAULT_ATOMS = atomsByOp(BUILTIN_REGISTRY);
const NONE: readonly EffectAtom[] = [];

export function builtinAtoms(op: BuiltinOp): readonly EffectAtom[] {
  return DEFAULT_ATOMS.get(op) ?? NONE;
}

/** Builtins that run a lifted thunk (args[0] is its closure). */
export const SPAWNING: ReadonlySet<string> = opsWithRole("spawn");

/**
 * Free builtin calls that carry a cooperative-cancel check in karac because they are not in its
 * table of known-pure callees: the output functions and `spawn`. Method-shaped builtins (those
 * with a receiver) always do.
 */
export const BOUNDARY_FREE_BUILTINS: ReadonlySet<string> = opsWithRole("cancel-point");
