// Type questions the concurrency checks ask: how a type reads in a message, and whether a value
// of it may cross a task boundary (a `shared` struct/enum anywhere inside it may not).

import type { TProgram, Type } from "../tir/nodes.js";
import { showType } from "../tir/show-type.js";

export { showType };


/** Where a search through a type stopped: the leaf found, the type to fix, and the field path to it. */
export interface UnsafePath {
  leaf: string;
  typeName: string;
  path: string[];
}

/** How findInType walks a type. */
export interface TypeSearch {
  /** The leaf at t itself, if t is one (checked before t's contents). */
  leafAt: (t: Type) => Omit<UnsafePath, "path"> | undefined;
  /** Also look inside channels, senders, receivers, mutexes, weak handles and task handles. */
  throughHandles: boolean;
  /** Name element steps (`[]`, `key`, `value`) in the path, not only fields and variants. */
  elementSteps: boolean;
}

/**
 * Depth-first search for a leaf anywhere inside a type: struct fields, enum variant payloads,
 * tuple elements and collection elements. Each nominal type is entered once, so recursive types
 * terminate.
 */
export function findInType(program: TProgram, t: Type, search: TypeSearch, seen = new Set<string>()): UnsafePath | undefined {
  const here = search.leafAt(t);
  if (here) return { ...here, path: [] };
  const inner = (x: Type, step?: string): UnsafePath | undefined => {
    const p = findInType(program, x, search, seen);
    return p && step !== undefined ? { ...p, path: [step, ...p.path] } : p;
  };
  const element = (x: Type, step: string): UnsafePath | undefined => inner(x, search.elementSteps ? step : undefined);
  switch (t.kind) {
    case "struct": {
      const def = program.structs.get(t.name);
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
      return element(t.elem, "[]");
    case "map":
      return element(t.key, "key") ?? element(t.value, "value");
    case "channel":
    case "sender":
    case "receiver":
      return search.throughHandles ? inner(t.elem) : undefined;
    case "mutex":
    case "weak": // a weak handle names a shared object (its counts are not atomic)
      return search.throughHandles ? inner(t.inner) : undefined;
    case "taskHandle":
      return search.throughHandles ? inner(t.result) : undefined;
    default:
      return undefined;
  }
}

/** Where a type stops being cross-task safe: the `shared` leaf and the field path to it. */
export function crossTaskUnsafe(program: TProgram, t: Type): UnsafePath | undefined {
  return findInType(program, t, {
    throughHandles: true,
    elementSteps: false,
    // A `shared` struct or enum's reference counts are not atomic, so it stays on one task.
    // The declaration's flavour and base name win over the reference's (generic instances).
    leafAt: (x) => {
      if (x.kind !== "struct" && x.kind !== "enum") return undefined;
      const def = x.kind === "struct" ? program.structs.get(x.name) : program.enums.get(x.name);
      if ((def?.flavor ?? x.flavor) !== "shared") return undefined;
      const name = def?.baseName ?? x.name;
      return { leaf: `shared ${x.kind} ${name}`, typeName: name };
    },
  });
}
