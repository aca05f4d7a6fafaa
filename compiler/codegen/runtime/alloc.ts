// Thread-safe allocator over the shared memory. Payloads come in power-of-two size classes
// (16 B << k) behind an 8-byte header [next-free: i32][class: i32]; freed blocks go to their
// class's free list and are reused. New blocks come from a bump region that ends at the memory's
// end; when it is full the memory grows (memory.grow) up to the limit, and only past the limit
// does allocation fail with an out-of-memory panic. One spin lock (LAYOUT.HEAP_LOCK, atomic
// compare-exchange) guards all of it; critical sections are a few loads and stores plus the
// occasional memory.grow, and nothing inside them can block or panic.

import binaryen from "binaryen";
import { LAYOUT, MEMORY_MAX_PAGES } from "../../abi.js";
import type { Gen } from "../context.js";
import { i32, i64, none, MEM } from "../ir.js";
import { G, H } from "./names.js";
import { RT } from "./memory.js";

export const ALLOC = "rt_alloc";
export const FREE = "rt_free";
export const REALLOC = "rt_realloc";
export const OOM = "rt_oom";
const HEAP_GROW = "rt_heap_grow";

export function emitAllocator(g: Gen): void {
  const { m, ir } = g;
  g.define("rt_heap_lock", [], none, () => {
    return m.loop(
      "spin",
      m.br("spin", m.i32.atomic.rmw.cmpxchg(0, ir.c32(LAYOUT.HEAP_LOCK), ir.c32(0), ir.c32(1), MEM)),
    );
  });
  g.define("rt_heap_unlock", [], none, () => m.i32.atomic.store(0, ir.c32(LAYOUT.HEAP_LOCK), ir.c32(0), MEM));

  emitOutOfMemory(g);
  emitHeapGrow(g);

  // rt_alloc(size) -> payload pointer (uninitialised).
  g.define(ALLOC, [i32], i32, (l) => {
    const size = 0;
    const k = l.add(i32);
    const head = l.add(i32);
    const top = l.add(i32);
    const bsize = l.add(i32);
    const listAddr = () => m.i32.add(ir.c32(RT.FREE_LISTS), m.i32.shl(ir.get(l, k), ir.c32(2)));
    const room = () => m.i32.sub(ir.load32(ir.c32(RT.HEAP_END)), ir.get(l, top));
    return [
      m.if(m.i32.gt_u(ir.get(l, size), ir.c32(MAX_PAYLOAD)), m.call(OOM, [m.i64.extend_u(ir.get(l, size))], none)),
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
      // Bump region exhausted: grow the memory (still under the lock, so HEAP_END moves once).
      m.if(
        m.i32.gt_u(ir.get(l, bsize), room()),
        m.if(
          m.i32.eqz(m.call(HEAP_GROW, [m.i32.sub(ir.get(l, bsize), room())], i32)),
          m.block(null, [m.call("rt_heap_unlock", [], none), m.call(OOM, [m.i64.extend_u(ir.get(l, size))], none)]),
        ),
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

/** Largest payload rt_alloc hands out: its block (class 2 GiB plus header) still fits an i32. */
const MAX_PAYLOAD = 0x8000_0000;

/** The page limit the heap may grow to: the host's LAYOUT.MEMORY_LIMIT_PAGES, or the wasm32 maximum. */
function limitPages(g: Gen): binaryen.ExpressionRef {
  const { m, ir } = g;
  const word = () => ir.load32(ir.c32(LAYOUT.MEMORY_LIMIT_PAGES));
  return m.select(
    m.i32.or(m.i32.eqz(word()), m.i32.gt_u(word(), ir.c32(MEMORY_MAX_PAGES))),
    ir.c32(MEMORY_MAX_PAGES),
    word(),
  );
}

/** Bytes in `pages` pages as an i32 end address, saturated just below 4 GiB. */
function pagesToEnd(g: Gen, pages: () => binaryen.ExpressionRef): binaryen.ExpressionRef {
  const { m, ir } = g;
  return m.select(m.i32.ge_u(pages(), ir.c32(65536)), ir.c32(-16), m.i32.shl(pages(), ir.c32(16)));
}

/**
 * rt_heap_grow(bytes) -> 1 when the memory grew by at least `bytes`, 0 at the limit. Called with
 * the heap lock held, so HEAP_END is only moved here, by one worker at a time; memory.grow itself
 * is atomic on a shared memory. Grows by a quarter of the current size at least, so a heap that
 * keeps growing does so in few steps; near the limit it takes just what is needed.
 */
function emitHeapGrow(g: Gen): void {
  const { m, ir } = g;
  g.define(HEAP_GROW, [i32], i32, (l) => {
    const bytes = 0;
    const need = l.add(i32);
    const cur = l.add(i32);
    const lim = l.add(i32);
    const step = l.add(i32);
    return [
      ir.set(need, m.i32.shr_u(m.i32.add(ir.get(l, bytes), ir.c32(0xffff)), ir.c32(16))),
      // memory.size can lag behind a growth made on another worker (memory-reach.ts);
      // memory.grow(0) answers the real size and brings this instance up to date.
      ir.set(cur, m.memory.grow(ir.c32(0), MEM)),
      ir.set(lim, limitPages(g)),
      m.if(m.i32.ge_u(ir.get(l, cur), ir.get(l, lim)), m.return(ir.c32(0))),
      m.if(m.i32.gt_u(ir.get(l, need), m.i32.sub(ir.get(l, lim), ir.get(l, cur))), m.return(ir.c32(0))),
      ir.set(step, m.i32.shr_u(ir.get(l, cur), ir.c32(2))),
      m.if(m.i32.lt_u(ir.get(l, step), ir.get(l, need)), ir.set(step, ir.get(l, need))),
      m.if(m.i32.gt_u(ir.get(l, step), m.i32.sub(ir.get(l, lim), ir.get(l, cur))), ir.set(step, m.i32.sub(ir.get(l, lim), ir.get(l, cur)))),
      // The memory's own maximum may be lower than the limit word: retry with just what is needed.
      m.if(
        m.i32.eq(m.memory.grow(ir.get(l, step), MEM), ir.c32(-1)),
        m.if(m.i32.eq(m.memory.grow(ir.get(l, need), MEM), ir.c32(-1)), m.return(ir.c32(0))),
      ),
      ir.store32(ir.c32(RT.HEAP_END), pagesToEnd(g, () => m.memory.size(MEM))),
      m.return(ir.c32(1)),
    ];
  });
}

/**
 * rt_oom(requested bytes): the clean panic `out of memory: requested N bytes, limit L`, never a
 * trap. The message is written into this worker's buffer reserved at heap set-up: nothing on
 * this path allocates.
 */
function emitOutOfMemory(g: Gen): void {
  const { m, ir } = g;
  // rt_put_dec(dst, v) -> end: v in decimal at dst.
  g.define("rt_put_dec", [i32, i64], i32, (l) => {
    const [dst, v] = [0, 1];
    const n = l.add(i32);
    const t = l.add(i64);
    const p = l.add(i32);
    return [
      ir.set(n, ir.c32(1)),
      ir.set(t, ir.get(l, v)),
      m.loop("count", m.if(m.i64.ge_u(ir.get(l, t), ir.c64(10)), m.block(null, [
        ir.set(t, m.i64.div_u(ir.get(l, t), ir.c64(10))),
        ir.set(n, m.i32.add(ir.get(l, n), ir.c32(1))),
        m.br("count"),
      ]))),
      ir.set(p, m.i32.add(ir.get(l, dst), ir.get(l, n))),
      ir.set(t, ir.get(l, v)),
      m.loop("digit", m.block(null, [
        ir.set(p, m.i32.sub(ir.get(l, p), ir.c32(1))),
        m.i32.store8(0, 1, ir.get(l, p), m.i32.add(m.i32.wrap(m.i64.rem_u(ir.get(l, t), ir.c64(10))), ir.c32(48)), MEM),
        ir.set(t, m.i64.div_u(ir.get(l, t), ir.c64(10))),
        m.br("digit", m.i32.gt_u(ir.get(l, p), ir.get(l, dst))),
      ])),
      m.return(m.i32.add(ir.get(l, dst), ir.get(l, n))),
    ];
  });
  g.define(OOM, [i64], none, (l) => {
    const requested = 0;
    const buf = l.add(i32);
    const p = l.add(i32);
    const lim = l.add(i32);
    const text = (s: string) => {
      const b = g.bytes(s);
      return [
        m.memory.copy(ir.get(l, p), ir.c32(b.ptr), ir.c32(b.len), MEM, MEM),
        ir.set(p, m.i32.add(ir.get(l, p), ir.c32(b.len))),
      ];
    };
    const dec = (v: binaryen.ExpressionRef) => ir.set(p, m.call("rt_put_dec", [ir.get(l, p), v], i32));
    const unit = (pagesPer: number, name: string) => [dec(m.i64.extend_u(m.i32.div_u(ir.get(l, lim), ir.c32(pagesPer)))), ...text(name)];
    const worker = () => m.select(m.i32.lt_u(m.global.get(G.WORKER, i32), m.global.get(G.WORKERS, i32)), m.global.get(G.WORKER, i32), ir.c32(0));
    return [
      ir.set(buf, m.i32.add(ir.load32(ir.c32(RT.OOM_SCRATCH)), m.i32.mul(worker(), ir.c32(RT.OOM_MSG_SIZE)))),
      ir.set(p, ir.get(l, buf)),
      ir.set(lim, limitPages(g)),
      ...text("panic: out of memory: requested "),
      dec(ir.get(l, requested)),
      ...text(" bytes, limit "),
      m.if(
        m.i32.eqz(m.i32.and(ir.get(l, lim), ir.c32(PAGES_PER_GIB - 1))),
        m.block(null, unit(PAGES_PER_GIB, " GiB")),
        m.if(
          m.i32.eqz(m.i32.and(ir.get(l, lim), ir.c32(PAGES_PER_MIB - 1))),
          m.block(null, unit(PAGES_PER_MIB, " MiB")),
          m.block(null, [dec(m.i64.mul(m.i64.extend_u(ir.get(l, lim)), ir.c64(64))), ...text(" KiB")]),
        ),
      ),
      // Nothing can be recorded for a joiner without memory: end the run at once (no current
      // task, so EXPORTS.capturing answers 0 and the host reports the panic itself).
      m.global.set(G.CAPTURE, ir.c32(0)),
      m.global.set(G.TASK, ir.c32(0)),
      m.call(H.panic, [ir.get(l, buf), m.i32.sub(ir.get(l, p), ir.get(l, buf))], none),
      m.unreachable(),
    ];
  });
}

const PAGES_PER_GIB = 16384;
const PAGES_PER_MIB = 16;

/** Heap set-up, run once by the first worker (after G.WORKERS is set). */
export function heapInit(g: Gen): binaryen.ExpressionRef[] {
  const { m, ir } = g;
  const workers = () => m.select(m.global.get(G.WORKERS, i32), m.global.get(G.WORKERS, i32), ir.c32(1));
  const memPages = () => m.memory.size(MEM);
  return [
    // The out-of-memory message buffers come first, one per worker.
    ir.store32(ir.c32(RT.OOM_SCRATCH), ir.c32(g.heapBase())),
    ir.store32(ir.c32(RT.HEAP_TOP), m.i32.add(ir.c32(g.heapBase()), m.i32.mul(workers(), ir.c32(RT.OOM_MSG_SIZE)))),
    // The heap ends at the memory's size or at the limit, whichever is lower.
    ir.store32(
      ir.c32(RT.HEAP_END),
      pagesToEnd(g, () => m.select(m.i32.lt_u(memPages(), limitPages(g)), memPages(), limitPages(g))),
    ),
  ];
}
