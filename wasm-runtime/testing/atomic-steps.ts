// Deterministic interleavings of lock-free code on one thread, for unit tests.
//
// Every Atomics call of an operation is one step. A StepRunner executes an operation one step at
// a time by record and replay: each step() re-runs the operation from its start, answers the
// steps already taken from the record (without touching memory again), performs one more step
// live, and abandons the run at the step after it. That is exact as long as the operation is
// deterministic given the results of its Atomics calls and has no other side effects, which
// holds for the deque's and ring's operations. With several runners over the same memory, any
// order of their steps is an interleaving of "workers"; `exploreSchedules` tries every one.
// No threads, no timing.

const HOOKED = ["load", "store", "compareExchange", "exchange", "add", "sub", "or", "and", "wait", "notify"] as const;
type Hooked = (typeof HOOKED)[number];
type AtomicFn = (...args: unknown[]) => unknown;

/** Thrown (and caught by step()) to abandon the operation just before its next live step. */
const PAUSE = Symbol("pause");

let intercept: ((name: Hooked, original: AtomicFn, args: unknown[]) => unknown) | undefined;

/** Installs the Atomics hooks for the duration of `body`. */
function withHooks<T>(body: () => T): T {
  const atomics = Atomics as unknown as Record<Hooked, AtomicFn>;
  const saved = HOOKED.map((name) => atomics[name]);
  HOOKED.forEach((name, i) => {
    const original = saved[i];
    atomics[name] = (...args: unknown[]) => (intercept ? intercept(name, original, args) : original.apply(Atomics, args));
  });
  try {
    return body();
  } finally {
    HOOKED.forEach((name, i) => (atomics[name] = saved[i]));
  }
}

export class StepRunner<T> {
  private readonly record: unknown[] = [];
  done = false;
  result: T | undefined;

  constructor(private readonly op: () => T) {}

  /** Steps taken so far. */
  get steps(): number {
    return this.record.length;
  }

  save(): { steps: number; done: boolean; result: T | undefined } {
    return { steps: this.record.length, done: this.done, result: this.result };
  }

  restore(saved: { steps: number; done: boolean; result: T | undefined }): void {
    this.record.length = saved.steps;
    this.done = saved.done;
    this.result = saved.result;
  }

  /** Performs the operation's next Atomics step (or, after its last one, runs it to its end). */
  step(): void {
    if (this.done) throw new Error("operation already finished");
    let replayed = 0;
    let live = false;
    intercept = (_name, original, args) => {
      if (replayed < this.record.length) return this.record[replayed++];
      if (live) throw PAUSE;
      live = true;
      const r = original.apply(Atomics, args);
      this.record.push(r);
      replayed++;
      return r;
    };
    try {
      this.result = this.op();
      this.done = true;
    } catch (e) {
      if (e !== PAUSE) throw e;
    } finally {
      intercept = undefined;
    }
  }
}

/**
 * Runs every interleaving of the operations `setup` returns and calls `check` with the state and
 * the operations' results once all have finished. A depth-first walk over schedules: before each
 * step the shared memory (`memory`, everything the operations touch) and the stepped runner are
 * saved, and restored afterwards to try the next choice. Returns the number of schedules tried.
 */
export function exploreSchedules<S, T>(
  setup: () => { state: S; ops: (() => T)[]; memory: Int32Array },
  check: (state: S, results: T[], schedule: number[]) => void,
): number {
  const { state, ops, memory } = setup();
  const runners = ops.map((op) => new StepRunner(op));
  let count = 0;
  const schedule: number[] = [];
  const visit = (): void => {
    let leaf = true;
    for (let i = 0; i < runners.length; i++) {
      const r = runners[i];
      if (r.done) continue;
      leaf = false;
      const savedMemory = memory.slice();
      const saved = r.save();
      withHooks(() => r.step());
      schedule.push(i);
      visit();
      schedule.pop();
      r.restore(saved);
      memory.set(savedMemory);
    }
    if (leaf) {
      count++;
      check(state, runners.map((r) => r.result as T), schedule);
    }
  };
  visit();
  return count;
}

/** Runs the operations interleaved in an order picked by `choose(openIndices)`, one step at a time. */
export function runInterleaved<T>(ops: (() => T)[], choose: (open: number[]) => number): T[] {
  const runners = ops.map((op) => new StepRunner(op));
  withHooks(() => {
    for (;;) {
      const open = runners.flatMap((r, i) => (r.done ? [] : [i]));
      if (open.length === 0) break;
      runners[choose(open)].step();
    }
  });
  return runners.map((r) => r.result as T);
}

/**
 * Runs `body` with Atomics.wait answered by `onWait` instead of blocking: what another worker
 * (or the coordinator) does while this one would sleep. The wait reports "timed-out", which
 * every caller treats as "look again".
 */
export function withWaitsAnswered<T>(body: () => T, onWait: () => void): T {
  return withHooks(() => {
    intercept = (name, original, args) => {
      if (name !== "wait") return original.apply(Atomics, args);
      const saved = intercept;
      intercept = undefined;
      try {
        onWait();
      } finally {
        intercept = saved;
      }
      return "timed-out";
    };
    try {
      return body();
    } finally {
      intercept = undefined;
    }
  });
}
