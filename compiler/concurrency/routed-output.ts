// Output routed through a Stdout / Stderr provider (check/providers.ts) runs the provider's own
// methods, which may keep state (a capturing provider pushes to a Vec). Builtin output from a
// forked task is captured and replayed in order, but routed output is not: two statements that
// route output must not run at once. Effect sets say nothing about output (karac: println infers
// nothing), so the analysis asks this module whether a function routes output, directly or
// through the functions, closures and branches it reaches.

import type { FnId, TProgram } from "../tir/nodes.js";
import { walkBlock } from "../tir/walk.js";

const cache = new WeakMap<TProgram, Set<FnId>>();

/** Does calling `fn` route output through a stream provider? */
export function routesOutput(program: TProgram, fn: FnId): boolean {
  return routingFunctions(program).has(fn);
}

/** Every function that routes output: the direct ones, then their callers to a fixed point. */
function routingFunctions(program: TProgram): Set<FnId> {
  const hit = cache.get(program);
  if (hit) return hit;
  const routing = new Set<FnId>();
  const callers = new Map<FnId, FnId[]>();
  const edge = (from: FnId, to: FnId): void => {
    const list = callers.get(to);
    if (list) list.push(from);
    else callers.set(to, [from]);
  };
  for (const f of program.functions) {
    walkBlock(f.body, {
      expr(e) {
        if (e.kind === "providerCall" && e.output) routing.add(f.id);
        else if (e.kind === "call" || e.kind === "closure" || e.kind === "fnRef") edge(f.id, e.fn);
        else if (e.kind === "par") for (const b of e.branches) edge(f.id, b.fn);
      },
    });
  }
  const work = [...routing];
  while (work.length) {
    for (const caller of callers.get(work.pop()!) ?? []) {
      if (routing.has(caller)) continue;
      routing.add(caller);
      work.push(caller);
    }
  }
  cache.set(program, routing);
  return routing;
}
