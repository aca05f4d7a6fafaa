// A Chase–Lev work-stealing deque of task pointers in a fixed-capacity ring inside the
// control buffer. The owner pushes and pops at the bottom (LIFO, cache-warm); thieves take
// from the top with a CAS. Every access is a sequentially consistent Atomics operation, which
// is what the original algorithm's fences require. The ring never grows: a full push fails
// and the caller runs the task inline instead.

import { DEQUE_CAP } from "./protocol.js";

const MASK = DEQUE_CAP - 1;
const TOP = 0;
const BOTTOM = 1;
const RING = 2;

/** Returned by steal() when another thief won the race: the deque may still hold work. */
export const STEAL_RETRY = -1;

export class Deque {
  constructor(
    private readonly ctl: Int32Array,
    private readonly base: number,
  ) {}

  /** Owner only. False when the ring is full. */
  push(task: number): boolean {
    const b = Atomics.load(this.ctl, this.base + BOTTOM);
    const t = Atomics.load(this.ctl, this.base + TOP);
    if (b - t >= DEQUE_CAP) return false;
    Atomics.store(this.ctl, this.base + RING + (b & MASK), task);
    Atomics.store(this.ctl, this.base + BOTTOM, b + 1);
    return true;
  }

  /** Owner only. 0 when empty. */
  pop(): number {
    const ctl = this.ctl;
    const b = Atomics.load(ctl, this.base + BOTTOM) - 1;
    Atomics.store(ctl, this.base + BOTTOM, b);
    const t = Atomics.load(ctl, this.base + TOP);
    if (t > b) {
      Atomics.store(ctl, this.base + BOTTOM, b + 1);
      return 0;
    }
    let task = Atomics.load(ctl, this.base + RING + (b & MASK));
    if (t === b) {
      // Last element: race the thieves for it.
      if (Atomics.compareExchange(ctl, this.base + TOP, t, t + 1) !== t) task = 0;
      Atomics.store(ctl, this.base + BOTTOM, b + 1);
    }
    return task;
  }

  /** Any worker. A task pointer, 0 when empty, or STEAL_RETRY after losing a race. */
  steal(): number {
    const ctl = this.ctl;
    const t = Atomics.load(ctl, this.base + TOP);
    const b = Atomics.load(ctl, this.base + BOTTOM);
    if (t >= b) return 0;
    const task = Atomics.load(ctl, this.base + RING + (t & MASK));
    if (Atomics.compareExchange(ctl, this.base + TOP, t, t + 1) !== t) return STEAL_RETRY;
    return task;
  }

  /** Approximate: used only for reports and idle checks. */
  size(): number {
    return Atomics.load(this.ctl, this.base + BOTTOM) - Atomics.load(this.ctl, this.base + TOP);
  }
}
