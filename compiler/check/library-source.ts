// Library types written in Kāra itself, added to a program that names them (as karac bakes its
// runtime/stdlib/*.kara into every program). Today: `OnceCell[T]`, karac's single-task write-once
// cell (runtime/stdlib/once.kara): `new`, `set` (Err(AlreadySetError { rejected }) when already
// set), `get`, `get_or_init` (runs the initializer at most once) and `is_set`. It is a `shared
// struct`, so it is shared by every copy of the handle and, like karac's, cannot cross a task
// boundary: spawn captures and channel sends are rejected as for any shared type, and a `par`
// branch may not capture one at all (effects/once-cell.ts).
//
// The source is parsed on its own and its node ids are moved past the program's, so every node of
// the combined tree keeps a unique id.

import type { Item, Program } from "../syntax/ast.js";
import { forEachSyntaxNode } from "../syntax/each-node.js";
import { parse } from "../syntax/parser.js";

export const ONCE_CELL = "OnceCell";

const ONCE_CELL_SOURCE = `
struct AlreadySetError[T] { rejected: T }

shared struct OnceCell[T] { mut slot: Option[T] }

impl[T] OnceCell[T] {
    fn new() -> OnceCell[T] {
        OnceCell { slot: None }
    }

    fn set(ref self, value: T) -> Result[(), AlreadySetError[T]] {
        if self.slot.is_some() {
            return Err(AlreadySetError { rejected: value });
        }
        self.slot = Some(value);
        Ok(())
    }

    fn get(ref self) -> Option[T] {
        self.slot.clone()
    }

    fn get_or_init(ref self, init: Fn() -> T) -> T {
        if self.slot.is_none() {
            self.slot = Some(init());
        }
        self.slot.clone().unwrap()
    }

    fn is_set(ref self) -> bool {
        self.slot.is_some()
    }
}
`;

/** The program with the library types it names and does not define itself. */
export function withLibrarySources(program: Program): Program {
  if (!mentions(program, ONCE_CELL) || defines(program, ONCE_CELL) || defines(program, "AlreadySetError")) return program;
  const lib = parse(ONCE_CELL_SOURCE, program.file);
  if (lib.diagnostics.length) return program;
  const offset = maxId(program) + 1;
  const items = lib.program.items.map((item) => shiftIds(item, offset)) as Item[];
  return { ...program, items: [...program.items, ...items] };
}

function defines(program: Program, name: string): boolean {
  return program.items.some((i) => "name" in i && (i as { name?: { name?: string } }).name?.name === name);
}

/** Whether any name in the program is `name` (an identifier, a type path, a call's receiver). */
function mentions(program: Program, name: string): boolean {
  // Every name in the tree was written in the source text: when the text lacks it, so does the tree,
  // and the walk over every node (a large part of checking a short program) is not needed.
  if (program.source !== undefined && !program.source.includes(name)) return false;
  let found = false;
  forEachSyntaxNode(program.items, (node) => {
    for (const k in node) {
      const v = node[k];
      if (v === name || (Array.isArray(v) && v.includes(name))) return (found = true);
    }
  });
  return found;
}

function maxId(root: unknown): number {
  let max = 0;
  forEachSyntaxNode(root, (node) => {
    if (typeof node.id === "number" && node.id > max) max = node.id;
  });
  return max;
}

function shiftIds<N>(n: N, offset: number): N {
  if (Array.isArray(n)) return n.map((x) => shiftIds(x, offset)) as N;
  if (!n || typeof n !== "object") return n;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n as Record<string, unknown>)) {
    out[k] = k === "id" && typeof v === "number" ? v + offset : k === "span" ? v : shiftIds(v, offset);
  }
  return out as N;
}
