// The types directly inside a final type, for analyses that search a type's structure.

import type { Type } from "./nodes.js";

/** The types one level inside a structural type (elements, keys, values, payloads, parameters). */
export function typeParts(t: Type): Type[] {
  const out: Type[] = [];
  for (const v of Object.values(t)) {
    if (Array.isArray(v)) for (const x of v) if (x && typeof x === "object" && "kind" in x) out.push(x as Type);
    if (v && typeof v === "object" && !Array.isArray(v) && "kind" in v) out.push(v as Type);
  }
  return out;
}
