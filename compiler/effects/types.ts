// Type questions the concurrency checks ask: how a type reads in a message, and whether a value
// of it may cross a task boundary (a `shared` struct/enum anywhere inside it may not).

import type { TProgram, Type } from "../tir/nodes.js";
import { showType } from "../tir/show-type.js";

export { showType };


/** Where a type stops being cross-task safe: the unsafe leaf and the field path to it. */
export interface UnsafePath {
  leaf: string;
  typeName: string;
  path: string[];
}

export function crossTaskUnsafe(program: TProgram, t: Type, seen = new Set<string>()): UnsafePath | undefined {
  const inner = (x: Type, step?: string): UnsafePath | undefined => {
    const p = crossTaskUnsafe(program, x, seen);
    return p && step !== undefined ? { ...p, path: [step, ...p.path] } : p;
  };
  switch (t.kind) {
    case "struct": {
      const def = program.structs.get(t.name);
      if ((def?.flavor ?? t.flavor) === "shared") return { leaf: `shared struct ${def?.baseName ?? t.name}`, typeName: def?.baseName ?? t.name, path: [] };
      if (!def || seen.has(t.name)) return undefined;
      seen.add(t.name);
      for (const f of def.fields) {
        const p = inner(f.type, f.name);
        if (p) return p;
      }
      return undefined;
    }
    case "enum": {
      const def = program.enums.get(t.name);
      if ((def?.flavor ?? t.flavor) === "shared") return { leaf: `shared enum ${def?.baseName ?? t.name}`, typeName: def?.baseName ?? t.name, path: [] };
      if (!def || seen.has(t.name)) return undefined;
      seen.add(t.name);
      for (const v of def.variants) {
        for (let i = 0; i < v.fields.length; i++) {
          const p = inner(v.fields[i].type, `${v.name}.${v.fields[i].name ?? i}`);
          if (p) return p;
        }
      }
      return undefined;
    }
    case "tuple":
      for (let i = 0; i < t.elems.length; i++) {
        const p = inner(t.elems[i], String(i));
        if (p) return p;
      }
      return undefined;
    case "vec":
    case "array":
    case "slice":
    case "set":
    case "channel":
    case "sender":
    case "receiver":
      return inner(t.elem);
    case "map":
      return inner(t.key) ?? inner(t.value);
    case "mutex":
    case "weak": // a weak handle names a shared object (its counts are not atomic)
      return inner(t.inner);
    case "taskHandle":
      return inner(t.result);
    default:
      return undefined;
  }
}
