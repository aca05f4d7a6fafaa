// The atoms the language's own operations create (effects-concurrency §1.4). Output is not an
// effect in karac (println infers nothing); atomics, fences and `lock` add nothing either.

import type { BuiltinOp } from "../check/tir.js";
import { ALLOCATES_HEAP, PANICS, SUSPENDS, type EffectAtom } from "./atoms.js";

const PANICKING: ReadonlySet<BuiltinOp> = new Set<BuiltinOp>([
  "panic", "todo", "unreachable", "assert", "assert_eq", "assert_ne",
  "option.unwrap", "option.expect", "result.unwrap", "result.expect", "result.unwrap_err",
  // `m[k]` on a missing key panics, like indexing
  "map.index",
]);

const ALLOCATING: ReadonlySet<BuiltinOp> = new Set<BuiltinOp>([
  "vec.new", "vec.with_capacity", "vec.filled", "vec.push", "vec.insert", "vec.extend", "vec.sort", "vec.clone",
  "string.new", "string.from", "string.push", "string.push_str", "string.clone",
  "map.new", "map.insert", "map.keys", "map.values", "map.entries",
  "set.new", "set.insert", "set.to_vec",
  "channel.new", "sender.send",
]);

const SUSPENDING: ReadonlySet<BuiltinOp> = new Set<BuiltinOp>(["receiver.recv"]);

export function builtinAtoms(op: BuiltinOp): EffectAtom[] {
  if (PANICKING.has(op)) return [PANICS];
  if (ALLOCATING.has(op)) return [ALLOCATES_HEAP];
  if (SUSPENDING.has(op)) return [SUSPENDS];
  return [];
}

/** Builtins that run a lifted thunk (args[0] is its closure). */
export const SPAWNING: ReadonlySet<BuiltinOp> = new Set<BuiltinOp>(["spawn", "taskgroup.spawn"]);

/**
 * Free builtin calls that carry a cooperative-cancel check in karac because they are not in its
 * table of known-pure callees: the output functions and `spawn`. Method-shaped builtins (those
 * with a receiver) always do.
 */
export const BOUNDARY_FREE_BUILTINS: ReadonlySet<BuiltinOp> = new Set<BuiltinOp>(["print", "println", "eprintln", "spawn"]);
