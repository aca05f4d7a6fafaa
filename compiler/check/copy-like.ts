// Which values a use never consumes (karac's ownership rule for "Copy" types, src/ownership.rs
// `is_copy_type`): scalars, `shared`/`par` handles, and tuples, arrays, `Option` and `Result` whose
// parts are all such values, plus user types declared `#[derive(Copy)]`. Reading a whole local of
// such a type into an owning site (a `let`, an argument, a return, a field) copies it, and the
// original stays usable: for a shared handle the copy is the handle itself (both name one object),
// for an `Option[Node]` or a tuple holding handles it is a new block holding the same handles.
// Every other aggregate (String, Vec, Map, Set, plain structs and enums) is move-only.

import type { TEnumDef, TStructDef, Type } from "../tir/nodes.js";

export interface CopyLikeDefs {
  structs: ReadonlyMap<string, TStructDef>;
  enums: ReadonlyMap<string, TEnumDef>;
}

/**
 * The type kinds whose values are copied or moved by their kind alone, the one table both type
 * representations read: final types here (`isCopyLike`) and checker types inside generic bodies
 * (`index-moves.ts`). Every other kind is decided by its parts or its definition.
 */
const KIND_VERDICTS: Readonly<Record<string, "copy" | "move">> = {
  int: "copy",
  float: "copy",
  bool: "copy",
  char: "copy",
  unit: "copy",
  never: "copy",
  memoryOrdering: "copy",
  fn: "copy",
  string: "move",
  vec: "move",
  map: "move",
  set: "move",
};

/** Whether values of a type of this kind are copied ("copy") or moved ("move") whatever their parts; undefined when the parts decide. */
export function kindVerdict(kind: string): "copy" | "move" | undefined {
  return Object.hasOwn(KIND_VERDICTS, kind) ? KIND_VERDICTS[kind] : undefined;
}

export function isCopyLike(t: Type, defs: CopyLikeDefs, seen: Set<string> = new Set()): boolean {
  const byKind = kindVerdict(t.kind);
  if (byKind) return byKind === "copy";
  switch (t.kind) {
    case "tuple":
      return t.elems.every((e) => isCopyLike(e, defs, seen));
    case "array":
      return isCopyLike(t.elem, defs, seen);
    case "slice":
      return !t.mut;
    case "struct": {
      if (t.flavor !== "plain") return true;
      const d = defs.structs.get(t.name);
      return !!d && d.derives.includes("Copy") && guarded(t.name, seen, () => d.fields.every((f) => isCopyLike(f.type, defs, seen)));
    }
    case "enum": {
      if (t.flavor !== "plain") return true;
      const d = defs.enums.get(t.name);
      if (!d) return false;
      const payloadsCopy = (): boolean => d.variants.every((v) => v.fields.every((f) => isCopyLike(f.type, defs, seen)));
      // A user `Drop` makes a type move-only whatever its variants hold.
      if (d.userDrop !== undefined) return false;
      if (d.variants.every((v) => v.fields.length === 0)) return true;
      // Option and Result are Copy exactly when their type arguments are (karac treats them as
      // built-ins); a user enum needs the derive.
      if (d.prelude === "option" || d.prelude === "result" || d.derives.includes("Copy")) return guarded(t.name, seen, payloadsCopy);
      return false;
    }
    default:
      return false;
  }
}

/** A recursive plain type is never Copy (it must go through a Vec or a shared handle to be finite). */
function guarded(name: string, seen: Set<string>, f: () => boolean): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  try {
    return f();
  } finally {
    seen.delete(name);
  }
}
