// Facts about a function's locals that decide where they live, found by walking its body.

import type { LocalId, TCaptureInit, TFunction, TPlace } from "../../tir/nodes.js";

/**
 * Calls `visit` on every object node under `root` once (spans and types are not descended).
 * Walks with an explicit stack: operator chains nest thousands of nodes deep.
 */
function forEachNode(root: unknown, visit: (o: Record<string, unknown>) => void): void {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (!x || typeof x !== "object" || seen.has(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
      continue;
    }
    const o = x as Record<string, unknown>;
    visit(o);
    const keys = Object.keys(o);
    for (let i = keys.length - 1; i >= 0; i--) if (keys[i] !== "span" && keys[i] !== "type") stack.push(o[keys[i]]);
  }
}

export interface LocalPlacement {
  /** Locals bound by `lock` blocks (references to a mutex's value). */
  lockAliases: Set<LocalId>;
  /** Locals whose address is needed although the checker did not flag them (defensive). */
  addressNeeds: Set<LocalId>;
}

/** Both facts in one walk of the body: it is the costly part on a long function. */
export function localPlacement(fn: TFunction): LocalPlacement {
  const lockAliases = new Set<LocalId>();
  const addressNeeds = new Set<LocalId>();
  forEachNode(fn.body, (o) => {
    if (o.kind === "lock" && typeof o.alias === "number") lockAliases.add(o.alias);
    if (Array.isArray(o.captures) && (o.kind === "closure" || "fn" in o)) {
      for (const c of o.captures as TCaptureInit[]) if (c && c.byRef && typeof c.outer === "number") addressNeeds.add(c.outer);
    }
    // A provider scope hands its providers' addresses to the provider stack.
    if (o.kind === "providerScope" && Array.isArray(o.bindings)) for (const b of o.bindings as { local: LocalId }[]) addressNeeds.add(b.local);
    if (o.mode === "mutref" && o.place && typeof o.place === "object") {
      const p = o.place as TPlace;
      if (p.kind === "local") addressNeeds.add(p.local);
    }
  });
  return { lockAliases, addressNeeds };
}


export function lockAliases(fn: TFunction): Set<LocalId> {
  return localPlacement(fn).lockAliases;
}

export function addressNeeds(fn: TFunction): Set<LocalId> {
  return localPlacement(fn).addressNeeds;
}
