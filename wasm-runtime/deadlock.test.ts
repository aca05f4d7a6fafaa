// Deadlock detection on constructed wait-for states: a control buffer whose worker slots say
// what each worker is inside and waiting for, and a program memory holding the task records.

import { describe, expect, it } from "vitest";
import { CHANNEL, TASK, TaskKind, TaskState } from "../compiler/abi.js";
import { DEADLOCK_SLICES, DeadlockDetector, deadlockReport } from "./deadlock.js";
import { MemoryViews } from "./memory-views.js";
import { CTL, WaitKind, WSLOT, controlLayout } from "./protocol.js";

interface WorkerState {
  current: number;
  kind: number;
  arg: number;
}

/** A run of `workers.length` workers, all blocked as described, with tasks at the given addresses. */
function state(workers: WorkerState[], tasks: { addr: number; id: number; kind: number; line: number }[]) {
  const layout = controlLayout(workers.length);
  const ctl = new Int32Array(new SharedArrayBuffer(layout.totalBytes));
  ctl[CTL.RUN_STATE] = 1;
  ctl[CTL.BLOCKED] = workers.length;
  workers.forEach((w, i) => {
    const s = layout.slotBase(i);
    ctl[s + WSLOT.CURRENT_TASK] = w.current;
    ctl[s + WSLOT.WAIT_KIND] = w.kind;
    ctl[s + WSLOT.WAIT_ARG] = w.arg;
  });
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const mem32 = new Int32Array(memory.buffer);
  for (const t of tasks) {
    mem32[(t.addr + TASK.ID) >>> 2] = t.id;
    mem32[(t.addr + TASK.KIND) >>> 2] = t.kind;
    mem32[(t.addr + TASK.LINE) >>> 2] = t.line;
  }
  let queued = false;
  const views = new MemoryViews(memory);
  const detector = new DeadlockDetector(ctl, layout, views, () => queued);
  return { ctl, layout, mem32, views, detector, setQueued: (q: boolean) => (queued = q) };
}

const MAIN = 4096;
const BRANCH = 4160;
const OTHER = 4224;
const CHAN = 8192;
const WORD = 12288;

/** main joins a par branch that receives on a channel; another branch waits on a plain word; one worker idles. */
function stuckRun() {
  const s = state(
    [
      { current: MAIN, kind: WaitKind.Join, arg: BRANCH },
      { current: BRANCH, kind: WaitKind.Wait, arg: CHAN },
      { current: OTHER, kind: WaitKind.Wait, arg: WORD },
      { current: 0, kind: WaitKind.Idle, arg: 0 },
    ],
    [
      { addr: MAIN, id: 1, kind: TaskKind.Main, line: 0 },
      { addr: BRANCH, id: 2, kind: TaskKind.ParBranch, line: 12 },
      { addr: OTHER, id: 3, kind: TaskKind.Spawn, line: 20 },
    ],
  );
  s.mem32[(CHAN + CHANNEL.TAG) >>> 2] = CHANNEL.MAGIC;
  return s;
}

const REPORT =
  "deadlock: every worker is blocked and no task can make progress: " +
  "task 1 (main) waits for task 2 (par, line 12); " +
  `task 2 (par, line 12) waits to receive on a channel (address ${CHAN}); ` +
  `task 3 (spawn, line 20) waits on address ${WORD}`;

describe("deadlock detection", () => {
  it("names every blocked task and what it waits for, skipping idle workers", () => {
    const s = stuckRun();
    expect(deadlockReport(s.ctl, s.layout, s.views)).toBe(REPORT);
  });

  it("declares a deadlock only after DEADLOCK_SLICES silent slices in a row", () => {
    const s = stuckRun();
    // The first slice only learns the progress count.
    expect(s.detector.check()).toBeUndefined();
    for (let i = 1; i < DEADLOCK_SLICES; i++) expect(s.detector.check()).toBeUndefined();
    expect(s.detector.check()).toBe(REPORT);
  });

  it("any progress, queued work, a worker not blocked, a wake-up or the end of the run starts the count again", () => {
    const interruptions: [string, (s: ReturnType<typeof stuckRun>) => void, (s: ReturnType<typeof stuckRun>) => void][] = [
      ["a task started or finished", (s) => (s.ctl[s.layout.slotBase(2) + WSLOT.PROGRESS] += 1), () => {}],
      ["work is queued", (s) => s.setQueued(true), (s) => s.setQueued(false)],
      ["a worker is running", (s) => (s.ctl[CTL.BLOCKED] -= 1), (s) => (s.ctl[CTL.BLOCKED] += 1)],
      ["a parked worker was woken", (s) => s.detector.reset(), () => {}],
    ];
    for (const [what, interrupt, undo] of interruptions) {
      const s = stuckRun();
      expect(s.detector.check()).toBeUndefined();
      for (let i = 1; i < DEADLOCK_SLICES; i++) expect(s.detector.check()).toBeUndefined();
      interrupt(s);
      if (what !== "a parked worker was woken") expect(s.detector.check(), what).toBeUndefined();
      undo(s);
      // A full run of silent slices is needed again.
      for (let i = 1; i < DEADLOCK_SLICES; i++) expect(s.detector.check(), `${what}, slice ${i}`).toBeUndefined();
      expect(s.detector.check(), what).toBe(REPORT);
    }
  });

  it("a worker woken but not yet run again is not blocked: its joined task ended, or its word changed", () => {
    // The wake-up has happened (the task's final state, the word's new value) while the woken
    // worker still sits in BLOCKED with its wait published, as it does until the OS runs it.
    const woken: [string, (s: ReturnType<typeof stuckRun>) => void, (s: ReturnType<typeof stuckRun>) => void][] = [
      ["the joined task is done", (s) => (s.mem32[(BRANCH + TASK.STATE) >>> 2] = TaskState.Done), (s) => (s.mem32[(BRANCH + TASK.STATE) >>> 2] = TaskState.Running)],
      ["the joined task was cancelled", (s) => (s.mem32[(BRANCH + TASK.STATE) >>> 2] = TaskState.Cancelled), (s) => (s.mem32[(BRANCH + TASK.STATE) >>> 2] = TaskState.Pending)],
      ["the waited word changed", (s) => (s.mem32[WORD >>> 2] = 1), (s) => (s.mem32[WORD >>> 2] = 0)],
      ["the channel's word changed", (s) => (s.mem32[CHAN >>> 2] = 7), (s) => (s.mem32[CHAN >>> 2] = 0)],
    ];
    for (const [what, wake, unwake] of woken) {
      const s = stuckRun();
      expect(s.detector.check()).toBeUndefined();
      wake(s);
      for (let i = 0; i < 4 * DEADLOCK_SLICES; i++) expect(s.detector.check(), `${what}, slice ${i}`).toBeUndefined();
      // Waiting again for a condition that does not hold: a full run of silent slices, then the report.
      unwake(s);
      for (let i = 1; i < DEADLOCK_SLICES; i++) expect(s.detector.check(), `${what} undone, slice ${i}`).toBeUndefined();
      expect(s.detector.check(), what).toBe(REPORT);
    }
  });

  it("a waiter counts as blocked only while its word holds the value it sleeps on", () => {
    const s = stuckRun();
    const slot = s.layout.slotBase(2);
    s.ctl[slot + WSLOT.WAIT_EXPECTED] = 5;
    s.mem32[WORD >>> 2] = 0;
    for (let i = 0; i < 4 * DEADLOCK_SLICES; i++) expect(s.detector.check()).toBeUndefined();
    s.mem32[WORD >>> 2] = 5;
    for (let i = 1; i < DEADLOCK_SLICES; i++) expect(s.detector.check()).toBeUndefined();
    expect(s.detector.check()).toBe(REPORT);
  });

  it("is never declared once the run is over", () => {
    const s = stuckRun();
    s.ctl[CTL.RUN_STATE] = 2;
    for (let i = 0; i < 3 * DEADLOCK_SLICES; i++) expect(s.detector.check()).toBeUndefined();
  });

  it("does not take a wait word near the end of memory for a channel, nor read past it", () => {
    const end = 65536 - 8;
    const s = state([{ current: MAIN, kind: WaitKind.Wait, arg: end }], [{ addr: MAIN, id: 1, kind: TaskKind.Main, line: 0 }]);
    expect(deadlockReport(s.ctl, s.layout, s.views)).toBe(`deadlock: every worker is blocked and no task can make progress: task 1 (main) waits on address ${end}`);
  });
});
