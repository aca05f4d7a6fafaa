// How a type of the typed program reads: in messages, and as the canonical key under which codegen
// names per-type generated functions (distinct types always print differently).

import type { Type } from "./tir.js";

export function showType(t: Type): string {
  switch (t.kind) {
    case "int":
      return t.name;
    case "float":
      return `f${t.bits}`;
    case "bool":
      return "bool";
    case "char":
      return "char";
    case "string":
      return "String";
    case "unit":
      return "()";
    case "never":
      return "!";
    case "tuple":
      return `(${t.elems.map(showType).join(", ")})`;
    case "struct":
    case "enum":
      return t.name;
    case "vec":
      return `Vec[${showType(t.elem)}]`;
    case "array":
      return `Array[${showType(t.elem)}, ${t.len}]`;
    case "slice":
      return `Slice[${showType(t.elem)}]`;
    case "map":
      return `Map[${showType(t.key)}, ${showType(t.value)}]`;
    case "set":
      return `Set[${showType(t.elem)}]`;
    case "fn":
      return `Fn(${t.params.map(showType).join(", ")}) -> ${showType(t.ret)}`;
    case "atomic":
      return `Atomic[${showType(t.inner)}]`;
    case "mutex":
      return `Mutex[${showType(t.inner)}]`;
    case "taskGroup":
      return "TaskGroup";
    case "taskHandle":
      return `TaskHandle[${showType(t.result)}]`;
    case "memoryOrdering":
      return "MemoryOrdering";
    case "range":
      return `Range[${showType(t.elem)}]`;
    case "channel":
      return `Channel[${showType(t.elem)}]`;
    case "sender":
      return `Sender[${showType(t.elem)}]`;
    case "receiver":
      return `Receiver[${showType(t.elem)}]`;
  }
}
