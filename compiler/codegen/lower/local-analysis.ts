// Facts about a function's locals that decide where they live, found by walking its body.

import type { LocalId, TCaptureInit, TFunction, TPlace } from "../../tir/nodes.js";

/** Calls `visit` on every object node under `root` once (spans and types are not descended). */
function forEachNode(root: unknown, visit: (o: Record<string, unknown>) => void): void {
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    const o = x as Record<string, unknown>;
    visit(o);
    for (const k of Object.keys(o)) if (k !== "span" && k !== "type") walk(o[k]);
  };
  walk(root);
}

/** Locals bound by `lock` blocks (references to a mutex's value). */
export function lockAliases(fn: TFunction): Set<LocalId> {
  const out = new Set<LocalId>();
  forEachNode(fn.body, (o) => {
    if (o.kind === "lock" && typeof o.alias === "number") out.add(o.alias);
  });
  return out;
}

/** Locals whose address is needed although the checker did not flag them (defensive). */
export function addressNeeds(fn: TFunction): Set<LocalId> {
  const out = new Set<LocalId>();
  forEachNode(fn.body, (o) => {
    if (Array.isArray(o.captures) && (o.kind === "closure" || "fn" in o)) {
      for (const c of o.captures as TCaptureInit[]) if (c && c.byRef && typeof c.outer === "number") out.add(c.outer);
    }
    if (o.mode === "mutref" && o.place && typeof o.place === "object") {
      const p = o.place as TPlace;
      if (p.kind === "local") out.add(p.local);
    }
  });
  return out;
}

