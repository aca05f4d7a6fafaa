// Unbounded channels (effects-concurrency §3.5). A channel is one heap block shared by every
// Sender and Receiver handle (a handle is the block's address):
//
//   [LOCK][SEQ][TOTAL][SENDERS][CLOSED][WAITERS][BUF][CAP][HEAD][LEN][TAG]
//
// LOCK is a futex mutex word (rt_mutex_lock / rt_mutex_unlock) guarding the queue. BUF is a ring
// of CAP (a power of two) 8-byte slots, each holding one element as an i64 (the element's wasm
// value widened; owned elements travel as their pointer, so ownership moves with the message).
// SEQ changes on every send and on close; a receiver that finds the queue empty and open reads
// SEQ under the lock, counts itself in WAITERS and parks through the host `wait` import while
// SEQ still holds that value, so waiting always happens in JS, never in wasm. TOTAL counts live
// handles (the last one frees the block); SENDERS counts live Senders (the last one closes the
// channel: CLOSED = 1 and every parked receiver is woken). `recv` on a closed, empty channel
// returns the zero value, as karac does.

import { CHANNEL as ABI_CHANNEL } from "../../abi.js";
import type { Gen } from "../context.js";
import { i32, i64, none, MEM } from "../ir.js";
import { ALLOC, FREE } from "./alloc.js";
import { H } from "./names.js";

export const CH = {
  LOCK: 0,
  SEQ: ABI_CHANNEL.SEQ,
  TOTAL: 8,
  SENDERS: 12,
  CLOSED: 16,
  WAITERS: 20,
  BUF: 24,
  CAP: 28,
  HEAD: 32,
  LEN: 36,
  /** abi.ts CHANNEL.MAGIC, at CHANNEL.TAG bytes after SEQ: lets the host name a channel wait. */
  TAG: ABI_CHANNEL.SEQ + ABI_CHANNEL.TAG,
  SIZE: 48,
} as const;

/** Slots a new channel starts with (doubles when full). */
const INITIAL_CAP = 8;

export const CHAN = {
  new: "rt_chan_new",
  send: "rt_chan_send",
  recv: "rt_chan_recv",
  tryRecv: "rt_chan_try_recv",
  clone: "rt_chan_clone",
  retain: "rt_chan_retain",
  dropSender: "rt_chan_drop_sender",
  release: "rt_chan_release",
  popRaw: "rt_chan_pop_raw",
  free: "rt_chan_free",
  /** Per-worker global receiving try_recv's value. */
  out: "g_chan_out",
} as const;

const LOCK = "rt_mutex_lock";
const UNLOCK = "rt_mutex_unlock";

/** Define the channel runtime (idempotent: only programs that use channels get it). */
export function channelRuntime(g: Gen): void {
  g.once("channel-runtime", () => emit(g));
}

function emit(g: Gen): void {
  const { m, ir } = g;
  const ld = (p: number, l: Parameters<typeof ir.get>[0], off: number) => ir.load32(ir.get(l, p), off);
  // Expression references are numbers too, so constants get their own helper.
  const st = (p: number, l: Parameters<typeof ir.get>[0], off: number, v: ReturnType<typeof ir.c32>) => ir.store32(ir.get(l, p), v, off);
  const stc = (p: number, l: Parameters<typeof ir.get>[0], off: number, v: number) => ir.store32(ir.get(l, p), ir.c32(v), off);
  const atomicAdd = (p: number, l: Parameters<typeof ir.get>[0], off: number, d: number) =>
    m.i32.atomic.rmw.add(off, ir.get(l, p), ir.c32(d), MEM);

  m.addGlobal(CHAN.out, i64, true, ir.c64(0));

  // rt_chan_new() -> ch: one Sender and one Receiver.
  g.define(CHAN.new, [], i32, (l) => {
    const c = l.add(i32);
    return [
      ir.set(c, m.call(ALLOC, [ir.c32(CH.SIZE)], i32)),
      m.memory.fill(ir.get(l, c), ir.c32(0), ir.c32(CH.SIZE), MEM),
      stc(c, l, CH.TOTAL, 2),
      stc(c, l, CH.SENDERS, 1),
      st(c, l, CH.BUF, m.call(ALLOC, [ir.c32(INITIAL_CAP * 8)], i32)),
      stc(c, l, CH.CAP, INITIAL_CAP),
      stc(c, l, CH.TAG, ABI_CHANNEL.MAGIC),
      // Publish the initialised block before its address reaches another worker.
      m.atomic.fence(),
      ir.get(l, c),
    ];
  });

  // Slot address of ring index (HEAD + k) & (CAP - 1).
  const slot = (c: number, l: Parameters<typeof ir.get>[0], k: ReturnType<typeof ir.c32>) =>
    m.i32.add(ld(c, l, CH.BUF), m.i32.shl(m.i32.and(m.i32.add(ld(c, l, CH.HEAD), k), m.i32.sub(ld(c, l, CH.CAP), ir.c32(1))), ir.c32(3)));

  // rt_chan_grow(ch): double the ring (lock held), unrolling it so HEAD = 0.
  g.define("rt_chan_grow", [i32], none, (l) => {
    const c = 0;
    const nb = l.add(i32);
    const k = l.add(i32);
    return [
      ir.set(nb, m.call(ALLOC, [m.i32.shl(ld(c, l, CH.CAP), ir.c32(4))], i32)),
      m.loop(
        "copy",
        m.if(
          m.i32.lt_u(ir.get(l, k), ld(c, l, CH.LEN)),
          m.block(null, [
            ir.store64(m.i32.add(ir.get(l, nb), m.i32.shl(ir.get(l, k), ir.c32(3))), ir.load64(slot(c, l, ir.get(l, k)))),
            ir.set(k, m.i32.add(ir.get(l, k), ir.c32(1))),
            m.br("copy"),
          ]),
        ),
      ),
      m.call(FREE, [ld(c, l, CH.BUF)], none),
      st(c, l, CH.BUF, ir.get(l, nb)),
      st(c, l, CH.CAP, m.i32.shl(ld(c, l, CH.CAP), ir.c32(1))),
      stc(c, l, CH.HEAD, 0),
    ];
  });

  // rt_chan_send(ch, v): enqueue, then wake one parked receiver if there is one.
  g.define(CHAN.send, [i32, i64], none, (l) => {
    const [c, v] = [0, 1];
    const waiters = l.add(i32);
    return [
      m.call(LOCK, [ir.get(l, c)], none),
      m.if(m.i32.eq(ld(c, l, CH.LEN), ld(c, l, CH.CAP)), m.call("rt_chan_grow", [ir.get(l, c)], none)),
      ir.store64(slot(c, l, ld(c, l, CH.LEN)), ir.get(l, v)),
      st(c, l, CH.LEN, m.i32.add(ld(c, l, CH.LEN), ir.c32(1))),
      m.drop(atomicAdd(c, l, CH.SEQ, 1)),
      ir.set(waiters, ld(c, l, CH.WAITERS)),
      m.call(UNLOCK, [ir.get(l, c)], none),
      m.if(ir.get(l, waiters), m.call(H.notify, [m.i32.add(ir.get(l, c), ir.c32(CH.SEQ)), ir.c32(1)], none)),
    ];
  });

  // rt_chan_take(ch) -> v: dequeue the front element (lock held, LEN > 0).
  g.define("rt_chan_take", [i32], i64, (l) => {
    const c = 0;
    const v = l.add(i64);
    return [
      ir.set(v, ir.load64(slot(c, l, ir.c32(0)))),
      st(c, l, CH.HEAD, m.i32.and(m.i32.add(ld(c, l, CH.HEAD), ir.c32(1)), m.i32.sub(ld(c, l, CH.CAP), ir.c32(1)))),
      st(c, l, CH.LEN, m.i32.sub(ld(c, l, CH.LEN), ir.c32(1))),
      ir.get(l, v),
    ];
  });

  // rt_chan_try_recv(ch) -> 1 with the value in g_chan_out, or 0 when empty (never blocks).
  g.define(CHAN.tryRecv, [i32], i32, (l) => {
    const c = 0;
    const got = l.add(i32);
    return [
      m.call(LOCK, [ir.get(l, c)], none),
      m.if(ld(c, l, CH.LEN), m.block(null, [m.global.set(CHAN.out, m.call("rt_chan_take", [ir.get(l, c)], i64)), ir.set(got, ir.c32(1))])),
      m.call(UNLOCK, [ir.get(l, c)], none),
      ir.get(l, got),
    ];
  });

  // rt_chan_clone(ch) -> ch: one more Sender.
  g.define(CHAN.clone, [i32], i32, (l) => [
    m.if(ir.get(l, 0), m.block(null, [m.drop(atomicAdd(0, l, CH.SENDERS, 1)), m.drop(atomicAdd(0, l, CH.TOTAL, 1))])),
    ir.get(l, 0),
  ]);

  // rt_chan_retain(ch) -> ch: one more handle that is not a Sender (a copied Receiver).
  g.define(CHAN.retain, [i32], i32, (l) => [m.if(ir.get(l, 0), m.drop(atomicAdd(0, l, CH.TOTAL, 1))), ir.get(l, 0)]);

  // rt_chan_drop_sender(ch): the last Sender closes the channel and wakes every receiver.
  g.define(CHAN.dropSender, [i32], none, (l) => {
    const c = 0;
    return [
      m.if(m.i32.eqz(ir.get(l, c)), m.return()),
      m.if(
        m.i32.eq(atomicAdd(c, l, CH.SENDERS, -1), ir.c32(1)),
        m.block(null, [
          m.call(LOCK, [ir.get(l, c)], none),
          stc(c, l, CH.CLOSED, 1),
          m.drop(atomicAdd(c, l, CH.SEQ, 1)),
          m.call(UNLOCK, [ir.get(l, c)], none),
          m.call(H.notify, [m.i32.add(ir.get(l, c), ir.c32(CH.SEQ)), ir.c32(-1)], none),
        ]),
      ),
    ];
  });

  // rt_chan_release(ch) -> 1 when this was the last handle: the caller drains and frees.
  g.define(CHAN.release, [i32], i32, (l) => [
    m.if(m.i32.eqz(ir.get(l, 0)), m.return(ir.c32(0))),
    m.i32.eq(atomicAdd(0, l, CH.TOTAL, -1), ir.c32(1)),
  ]);

  // rt_chan_pop_raw(ch) -> 1 with the value in g_chan_out, or 0 (last handle only: no lock).
  g.define(CHAN.popRaw, [i32], i32, (l) => [
    m.if(m.i32.eqz(ld(0, l, CH.LEN)), m.return(ir.c32(0))),
    m.global.set(CHAN.out, m.call("rt_chan_take", [ir.get(l, 0)], i64)),
    ir.c32(1),
  ]);

  g.define(CHAN.free, [i32], none, (l) => [m.call(FREE, [ld(0, l, CH.BUF)], none), m.call(FREE, [ir.get(l, 0)], none)]);
}

/**
 * rt_chan_recv(ch) -> v: blocking receive; 0 once the channel is closed and drained, or when the
 * waiting task is cancelled. `cancelled` names the `() -> i32` cancellation test of the running
 * task.
 */
export function channelRecv(g: Gen, cancelled: string): string {
  channelRuntime(g);
  const { m, ir } = g;
  const ld = (p: number, l: Parameters<typeof ir.get>[0], off: number) => ir.load32(ir.get(l, p), off);
  const atomicAdd = (p: number, l: Parameters<typeof ir.get>[0], off: number, d: number) =>
    m.i32.atomic.rmw.add(off, ir.get(l, p), ir.c32(d), MEM);
  return g.define(CHAN.recv, [i32], i64, (l) => {
    const c = 0;
    const v = l.add(i64);
    const seq = l.add(i32);
    return [
      m.loop(
        "again",
        m.block(null, [
          m.call(LOCK, [ir.get(l, c)], none),
          m.if(
            ld(c, l, CH.LEN),
            m.block(null, [ir.set(v, m.call("rt_chan_take", [ir.get(l, c)], i64)), m.call(UNLOCK, [ir.get(l, c)], none), m.return(ir.get(l, v))]),
          ),
          // Closed, or the waiting task is cancelled (a sibling failed): nothing will come, or
          // the result is discarded and the task stops at its next cancellation point.
          m.if(
            m.i32.or(ld(c, l, CH.CLOSED), m.call(cancelled, [], i32)),
            m.block(null, [m.call(UNLOCK, [ir.get(l, c)], none), m.return(ir.c64(0))]),
          ),
          // Empty and open: note SEQ and register as a waiter while still holding the lock, so a
          // send or close after the unlock both changes SEQ and sees the waiter.
          ir.set(seq, m.i32.atomic.load(CH.SEQ, ir.get(l, c), MEM)),
          m.drop(atomicAdd(c, l, CH.WAITERS, 1)),
          m.call(UNLOCK, [ir.get(l, c)], none),
          m.call(H.wait, [m.i32.add(ir.get(l, c), ir.c32(CH.SEQ)), ir.get(l, seq)], none),
          m.drop(atomicAdd(c, l, CH.WAITERS, -1)),
          m.br("again"),
        ]),
      ),
      m.unreachable(),
    ];
  });
}
