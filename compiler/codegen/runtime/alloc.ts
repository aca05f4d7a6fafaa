// Thread-safe allocator over the shared memory. Payloads come in power-of-two size classes
// (16 B << k) behind an 8-byte header [next-free: i32][class: i32]; freed blocks go to their
// class's free list and are reused. New blocks come from a bump region. One spin lock
// (LAYOUT.HEAP_LOCK, atomic compare-exchange) guards all of it; critical sections are a few
// loads and stores, and nothing inside them can block or panic.

import binaryen from "binaryen";
import { LAYOUT } from "../../abi.js";
import type { Gen } from "../context.js";
import { i32, none, MEM } from "../ir.js";
import { G, H } from "./names.js";
import { RT } from "./memory.js";

export const ALLOC = "rt_alloc";
export const FREE = "rt_free";
export const REALLOC = "rt_realloc";
export const OOM = "rt_oom";

export function emitAllocator(g: Gen): void {
  const { m, ir } = g;
  g.define("rt_heap_lock", [], none, () => {
    return m.loop(
      "spin",
      m.br("spin", m.i32.atomic.rmw.cmpxchg(0, ir.c32(LAYOUT.HEAP_LOCK), ir.c32(0), ir.c32(1), MEM)),
    );
  });
  g.define("rt_heap_unlock", [], none, () => m.i32.atomic.store(0, ir.c32(LAYOUT.HEAP_LOCK), ir.c32(0), MEM));

  // Out of memory is a clean panic, never a trap. No allocation happens on this path.
  const oomMsg = g.bytes("panic: out of memory");
  g.define(OOM, [], none, () => [
    // Nothing can be recorded for a joiner without memory: end the run at once (no current
    // task, so EXPORTS.capturing answers 0 and the host reports the panic itself).
    m.global.set(G.CAPTURE, ir.c32(0)),
    m.global.set(G.TASK, ir.c32(0)),
    m.call(H.panic, [ir.c32(oomMsg.ptr), ir.c32(oomMsg.len)], none),
    m.unreachable(),
  ]);

  // rt_alloc(size) -> payload pointer (uninitialised).
  g.define(ALLOC, [i32], i32, (l) => {
    const size = 0;
    const k = l.add(i32);
    const head = l.add(i32);
    const top = l.add(i32);
    const bsize = l.add(i32);
    const listAddr = () => m.i32.add(ir.c32(RT.FREE_LISTS), m.i32.shl(ir.get(l, k), ir.c32(2)));
    return [
      m.if(m.i32.gt_u(ir.get(l, size), ir.c32(0x7fff_fff0 - 8)), m.call(OOM, [], none)),
      // class k: smallest with (16 << k) >= size; the block is that plus the 8-byte header,
      // so power-of-two payloads (Vec/String growth) fit their class exactly.
      ir.set(k, m.i32.sub(m.i32.sub(ir.c32(32), m.i32.clz(m.i32.sub(m.select(ir.get(l, size), ir.get(l, size), ir.c32(1)), ir.c32(1)))), ir.c32(4))),
      m.if(m.i32.lt_s(ir.get(l, k), ir.c32(0)), ir.set(k, ir.c32(0))),
      ir.set(bsize, m.i32.add(m.i32.shl(ir.c32(16), ir.get(l, k)), ir.c32(8))),
      m.call("rt_heap_lock", [], none),
      ir.set(head, ir.load32(listAddr())),
      m.if(
        ir.get(l, head),
        m.block(null, [
          ir.store32(listAddr(), ir.load32(ir.get(l, head))),
          m.call("rt_heap_unlock", [], none),
          m.return(m.i32.add(ir.get(l, head), ir.c32(8))),
        ]),
      ),
      ir.set(top, ir.load32(ir.c32(RT.HEAP_TOP))),
      m.if(
        m.i32.gt_u(ir.get(l, bsize), m.i32.sub(ir.load32(ir.c32(RT.HEAP_END)), ir.get(l, top))),
        m.block(null, [m.call("rt_heap_unlock", [], none), m.call(OOM, [], none)]),
      ),
      ir.store32(ir.c32(RT.HEAP_TOP), m.i32.add(ir.get(l, top), ir.get(l, bsize))),
      m.call("rt_heap_unlock", [], none),
      ir.store32(ir.get(l, top), ir.get(l, k), 4),
      m.return(m.i32.add(ir.get(l, top), ir.c32(8))),
    ];
  });

  // rt_free(ptr): null-safe.
  g.define(FREE, [i32], none, (l) => {
    const p = 0;
    const b = l.add(i32);
    const list = l.add(i32);
    return [
      m.if(m.i32.eqz(ir.get(l, p)), m.return()),
      ir.set(b, m.i32.sub(ir.get(l, p), ir.c32(8))),
      ir.set(list, m.i32.add(ir.c32(RT.FREE_LISTS), m.i32.shl(ir.load32(ir.get(l, b), 4), ir.c32(2)))),
      m.call("rt_heap_lock", [], none),
      ir.store32(ir.get(l, b), ir.load32(ir.get(l, list))),
      ir.store32(ir.get(l, list), ir.get(l, b)),
      m.call("rt_heap_unlock", [], none),
    ];
  });

  // rt_realloc(ptr, size): keeps the block when its class still fits.
  g.define(REALLOC, [i32, i32], i32, (l) => {
    const p = 0;
    const size = 1;
    const cap = l.add(i32);
    const n = l.add(i32);
    return [
      m.if(m.i32.eqz(ir.get(l, p)), m.return(m.call(ALLOC, [ir.get(l, size)], i32))),
      ir.set(cap, m.i32.shl(ir.c32(16), ir.load32(m.i32.sub(ir.get(l, p), ir.c32(4))))),
      m.if(m.i32.le_u(ir.get(l, size), ir.get(l, cap)), m.return(ir.get(l, p))),
      ir.set(n, m.call(ALLOC, [ir.get(l, size)], i32)),
      m.memory.copy(ir.get(l, n), ir.get(l, p), ir.get(l, cap), MEM, MEM),
      m.call(FREE, [ir.get(l, p)], none),
      m.return(ir.get(l, n)),
    ];
  });
}

/** Heap set-up, run once by the first worker. */
export function heapInit(g: Gen): binaryen.ExpressionRef[] {
  const { m, ir } = g;
  return [
    ir.store32(ir.c32(RT.HEAP_TOP), ir.c32(g.heapBase())),
    // memory.size in pages << 16, saturated just below 4 GiB so the end fits an i32.
    ir.store32(
      ir.c32(RT.HEAP_END),
      m.select(
        m.i32.ge_u(m.memory.size(MEM), ir.c32(65536)),
        ir.c32(-16),
        m.i32.shl(m.memory.size(MEM), ir.c32(16)),
      ),
    ),
  ];
}
