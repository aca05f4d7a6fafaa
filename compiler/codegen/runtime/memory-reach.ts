// Accesses that reach pages another worker has just grown.
//
// The allocator grows the shared memory on whichever worker runs out, and the new pages are
// usable at once on every thread. But V8 keeps a per-instance copy of the memory's length and
// refreshes it on the other threads only when each next handles an interrupt (a stack check at
// a call or a loop back-edge). Plain loads and stores are bounds-checked by guard pages and see
// the new pages; `memory.size`, the bulk operations (`memory.fill`, `memory.copy`) and, in the
// baseline tier, atomic accesses are checked against that stale copy. A block handed out from
// pages grown elsewhere (the bump region's end moved by another worker, a free-list block, a
// pointer received through a task record, a channel or a Mutex) would then trap with "memory
// access out of bounds" although it is in range.
//
// So every atomic access and bulk operation the module emits first checks its end against this
// instance's `memory.size` and, past it, refreshes the instance with `memory.grow(0)` (which
// reads the real length; the growth itself published the pages). The common path is one
// comparison; the refresh runs about once per growth per worker. A truly bad address still
// traps, at the access itself. Addresses that are constants inside the initial memory
// (MEMORY_MIN_PAGES) are always in range and are left alone.
//
// This is installed on the Binaryen module itself, so no call site can forget it.

import binaryen from "binaryen";
import { MEMORY_MIN_PAGES } from "../../abi.js";

export const REACH = "rt_reach";
export const REACH_FILL = "rt_reach_fill";
export const REACH_COPY = "rt_reach_copy";

type Ref = binaryen.ExpressionRef;
type Fn = (...args: never[]) => Ref;

const PAGE_BYTES = 65536;
const INITIAL_BYTES = MEMORY_MIN_PAGES * PAGE_BYTES;

/** Bytes touched by each atomic method, by its name in Binaryen's `iNN.atomic` namespace. */
const ACCESS_BYTES: Record<"i32" | "i64", Record<string, number>> = {
  i32: { load: 4, load8_u: 1, load16_u: 2, store: 4, store8: 1, store16: 2, rmw: 4, rmw8_u: 1, rmw16_u: 2 },
  i64: { load: 8, load8_u: 1, load16_u: 2, load32_u: 4, store: 8, store8: 1, store16: 2, store32: 4, rmw: 8, rmw8_u: 1, rmw16_u: 2, rmw32_u: 4 },
};

/** Makes every atomic access and bulk memory operation built with `m` reach grown pages (see above). */
export function installMemoryReach(m: binaryen.Module, memory: string): void {
  const made = new Set<string>();
  const size64 = () => m.i64.shl(m.i64.extend_u(m.memory.size(memory)), m.i64.const(16));
  const refresh = () => m.drop(m.memory.grow(m.i32.const(0), memory));
  const helper = (name: string, params: binaryen.Type[], result: binaryen.Type, body: () => Ref) => {
    if (made.has(name)) return;
    made.add(name);
    m.addFunction(name, binaryen.createType(params), result, [], body());
  };
  const get32 = (i: number) => m.local.get(i, binaryen.i32);
  const wide = (i: number) => m.i64.extend_u(get32(i));

  const fill = m.memory.fill.bind(m.memory);
  const copy = m.memory.copy.bind(m.memory);

  // rt_reach(ptr, end) -> ptr: this instance covers [ptr, ptr + end).
  const reach = (ptr: Ref, end: number): Ref => {
    if (binaryen.getExpressionId(ptr) === binaryen.ConstId) {
      const at = (binaryen.getExpressionInfo(ptr) as binaryen.ConstInfo).value as number;
      if ((at >>> 0) + end <= INITIAL_BYTES) return ptr;
    }
    helper(REACH, [binaryen.i32, binaryen.i32], binaryen.i32, () =>
      m.block(null, [m.if(m.i64.gt_u(m.i64.add(wide(0), wide(1)), size64()), refresh()), get32(0)], binaryen.i32),
    );
    return m.call(REACH, [ptr, m.i32.const(end)], binaryen.i32);
  };

  m.memory.fill = (dest: Ref, value: Ref, size: Ref, name?: string): Ref => {
    helper(REACH_FILL, [binaryen.i32, binaryen.i32, binaryen.i32], binaryen.none, () =>
      m.block(null, [
        m.if(m.i64.gt_u(m.i64.add(wide(0), wide(2)), size64()), refresh()),
        fill(get32(0), get32(1), get32(2), memory),
      ]),
    );
    if (name !== undefined && name !== memory) return fill(dest, value, size, name);
    return m.call(REACH_FILL, [dest, value, size], binaryen.none);
  };

  m.memory.copy = (dest: Ref, source: Ref, size: Ref, destName?: string, sourceName?: string): Ref => {
    helper(REACH_COPY, [binaryen.i32, binaryen.i32, binaryen.i32], binaryen.none, () =>
      m.block(null, [
        m.if(
          m.i64.gt_u(
            m.i64.add(m.select(m.i64.gt_u(wide(0), wide(1)), wide(0), wide(1)), wide(2)),
            size64(),
          ),
          refresh(),
        ),
        copy(get32(0), get32(1), get32(2), memory, memory),
      ]),
    );
    const other = (n?: string) => n !== undefined && n !== memory;
    if (other(destName) || other(sourceName)) return copy(dest, source, size, destName, sourceName);
    return m.call(REACH_COPY, [dest, source, size], binaryen.none);
  };

  // Atomic methods all take (offset, ptr, ...rest): wrap ptr so that [ptr + offset, + bytes) is covered.
  for (const width of ["i32", "i64"] as const) {
    const ns = m[width].atomic as unknown as Record<string, Fn | Record<string, Fn>>;
    for (const [key, bytes] of Object.entries(ACCESS_BYTES[width])) {
      const target = ns[key];
      if (typeof target === "function") ns[key] = wrapAccess(target.bind(ns), bytes, reach);
      else if (target) for (const op of Object.keys(target)) target[op] = wrapAccess(target[op].bind(target), bytes, reach);
    }
  }
  const atomic = m.memory.atomic as unknown as Record<string, Fn>;
  for (const [key, bytes] of [["notify", 4], ["wait32", 4], ["wait64", 8]] as const) {
    const original = atomic[key].bind(atomic) as (ptr: Ref, ...rest: unknown[]) => Ref;
    atomic[key] = ((ptr: Ref, ...rest: unknown[]) => original(reach(ptr, bytes), ...rest)) as Fn;
  }
}

function wrapAccess(original: Fn, bytes: number, reach: (ptr: Ref, end: number) => Ref): Fn {
  const call = original as unknown as (offset: number, ptr: Ref, ...rest: unknown[]) => Ref;
  return ((offset: number, ptr: Ref, ...rest: unknown[]) => call(offset, reach(ptr, offset + bytes), ...rest)) as unknown as Fn;
}
