// The Chase–Lev deque, driven step by step on one thread: owner push/pop and thief steals are
// interleaved in every possible order of their Atomics steps (testing/atomic-steps.ts), and
// every task must come out exactly once.

import { describe, expect, it } from "vitest";
import { Deque, STEAL_RETRY } from "./deque.js";
import { DEQUE_CAP } from "./protocol.js";
import { exploreSchedules, runInterleaved } from "./testing/atomic-steps.js";

const BASE = 7;

/**
 * A fresh deque at a non-zero base, with handles for the owner and two thieves (other workers'
 * views). `slots` is how much of the ring exists: the interleaving tests, which create thousands
 * of deques and never index past a few slots, use a short one.
 */
function fresh(slots = DEQUE_CAP): { owner: Deque; thieves: Deque[]; ctl: Int32Array } {
  const ctl = new Int32Array(new SharedArrayBuffer((BASE + 2 + slots + 4) * 4));
  return { owner: new Deque(ctl, BASE), thieves: [new Deque(ctl, BASE), new Deque(ctl, BASE)], ctl };
}

/**
 * Takes everything left: the owner pops until empty, and no thief finds anything after. Plain
 * checks rather than expect(): the interleaving tests call this tens of thousands of times.
 */
function drain(d: ReturnType<typeof fresh>): number[] {
  const out: number[] = [];
  for (let t = d.owner.pop(); t !== 0; t = d.owner.pop()) out.push(t);
  if (d.thieves[0].steal() !== 0 || d.owner.size() !== 0) throw new Error("the deque is not empty after the owner emptied it");
  // Still usable: bottom and top were left consistent.
  if (!d.owner.push(99) || d.owner.pop() !== 99) throw new Error("the deque is inconsistent after the race");
  return out;
}

/** Results that are real tasks (not "empty", "lost a race" or a push's boolean). */
const tasks = (results: unknown[]) => results.filter((r): r is number => typeof r === "number" && r !== 0 && r !== STEAL_RETRY);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe("Chase–Lev deque, sequential behaviour", () => {
  it("the owner takes the newest task, thieves the oldest", () => {
    const d = fresh();
    for (let t = 1; t <= 5; t++) expect(d.owner.push(t)).toBe(true);
    expect(d.owner.size()).toBe(5);
    expect(d.thieves[0].steal()).toBe(1);
    expect(d.owner.pop()).toBe(5);
    expect(d.owner.pop()).toBe(4);
    expect(d.thieves[1].steal()).toBe(2);
    expect(d.owner.pop()).toBe(3);
    expect(d.owner.pop()).toBe(0);
    expect(d.thieves[0].steal()).toBe(0);
  });

  it("refuses a push when the ring is full and accepts one again after a steal", () => {
    const d = fresh();
    for (let t = 1; t <= DEQUE_CAP; t++) expect(d.owner.push(t)).toBe(true);
    expect(d.owner.push(DEQUE_CAP + 1)).toBe(false);
    expect(d.thieves[0].steal()).toBe(1);
    expect(d.owner.push(DEQUE_CAP + 1)).toBe(true);
    expect(d.owner.push(DEQUE_CAP + 2)).toBe(false);
    const rest = drain(d);
    expect(rest.length).toBe(DEQUE_CAP);
    expect(rest[0]).toBe(DEQUE_CAP + 1);
    expect(rest[rest.length - 1]).toBe(2);
  });

  it("keeps tasks intact as the indices wrap around the ring many times", () => {
    const d = fresh();
    let next = 1;
    let expectedSteal = 1;
    for (let round = 0; round < 3 * DEQUE_CAP; round++) {
      d.owner.push(next++);
      d.owner.push(next++);
      expect(d.thieves[0].steal()).toBe(expectedSteal++);
      expect(d.thieves[1].steal()).toBe(expectedSteal++);
    }
    expect(d.owner.size()).toBe(0);
  });
});

describe("Chase–Lev deque, every interleaving of concurrent operations", () => {
  /** Every schedule of `ops` on a deque holding `initial`: the tasks taken plus those left are exactly the tasks put in. */
  function conserves(initial: number[], ops: (d: ReturnType<typeof fresh>) => (() => unknown)[], pushed: number[] = []): number {
    return exploreSchedules(
      () => {
        const d = fresh(8);
        for (const t of initial) d.owner.push(t);
        return { state: d, ops: ops(d), memory: d.ctl };
      },
      (d, results, schedule) => {
        const all = sorted([...tasks(results), ...drain(d)]);
        const want = sorted([...initial, ...pushed]);
        if (all.join() !== want.join()) expect(all, `schedule ${schedule.join("")}`).toEqual(want);
      },
    );
  }

  it("a pop and a steal racing for the last task: exactly one gets it", () => {
    const n = conserves([42], (d) => [() => d.owner.pop(), () => d.thieves[0].steal()]);
    expect(n).toBeGreaterThan(20);
  });

  it("a pop and a steal with two tasks, and with three", () => {
    conserves([1, 2], (d) => [() => d.owner.pop(), () => d.thieves[0].steal()]);
    conserves([1, 2, 3], (d) => [() => d.owner.pop(), () => d.thieves[0].steal()]);
  });

  it("two thieves racing for one task, and for two", () => {
    conserves([9], (d) => [() => d.thieves[0].steal(), () => d.thieves[1].steal()]);
    conserves([9, 10], (d) => [() => d.thieves[0].steal(), () => d.thieves[1].steal()]);
  });

  it("a pop and two steals racing for one task, and for two", () => {
    const n = conserves([5], (d) => [() => d.owner.pop(), () => d.thieves[0].steal(), () => d.thieves[1].steal()]);
    expect(n).toBeGreaterThan(1000);
    conserves([5, 6], (d) => [() => d.owner.pop(), () => d.thieves[0].steal(), () => d.thieves[1].steal()]);
  });

  it("a steal during a push never takes a half-published task", () => {
    exploreSchedules<ReturnType<typeof fresh>, boolean | number>(
      () => {
        const d = fresh(8);
        return { state: d, ops: [() => d.owner.push(2), () => d.thieves[0].steal()], memory: d.ctl };
      },
      (d, [pushed, stolen], schedule) => {
        expect(pushed).toBe(true);
        // Either the thief saw an empty deque or it got the task whole.
        expect([0, 2], `schedule ${schedule.join("")}`).toContain(stolen);
        expect(sorted([...tasks([stolen]), ...drain(d)])).toEqual([2]);
      },
    );
  });

  it("random schedules of pushes, pops and steals deliver every task exactly once", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    for (let iteration = 0; iteration < 200; iteration++) {
      const d = fresh();
      const delivered: number[] = [];
      let next = 1;
      const pushed: number[] = [];
      for (let round = 0; round < 20; round++) {
        // One operation per worker, interleaved step by step in a random order.
        const ownerPushes = rand(3) > 0;
        const value = next++;
        const ops: (() => unknown)[] = [ownerPushes ? () => d.owner.push(value) : () => d.owner.pop(), () => d.thieves[0].steal(), () => d.thieves[1].steal()];
        const results = runInterleaved(ops, (open) => open[rand(open.length)]);
        if (ownerPushes && results[0] === true) pushed.push(value);
        delivered.push(...tasks(results.slice(ownerPushes ? 1 : 0)));
      }
      delivered.push(...drain(d));
      expect(sorted(delivered)).toEqual(pushed);
    }
  });
});
