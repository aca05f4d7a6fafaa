// Whole-program facts that later phases ask for per function: computed on the first question and
// kept as long as the program object lives, so asking again never walks the program again.

import type { TProgram } from "./nodes.js";

/** `analyse` run at most once per program; the result is shared by every later call. */
export function memoPerProgram<T>(analyse: (program: TProgram) => T): (program: TProgram) => T {
  const results = new WeakMap<TProgram, T>();
  return (program) => {
    if (results.has(program)) return results.get(program)!;
    const result = analyse(program);
    results.set(program, result);
    return result;
  };
}
