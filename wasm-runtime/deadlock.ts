// Deadlock detection from the wait-for state every worker publishes in its control-buffer slot
// (protocol.ts WSLOT: the task it is inside, what it waits for, a progress count) and the
// run-wide BLOCKED count. A worker calls check() after a park slice ended without a wake-up.
// Every worker blocked, no queued work and no task started or finished for DEADLOCK_SLICES
// consecutive slices means nothing can ever progress; the report names each blocked task and
// what it waits for.
//
// "Blocked" is judged from what each worker waits for, not only from its being asleep: a worker
// that was woken (its joined task finished, its word changed) stays in BLOCKED until the OS runs
// it again, which on a loaded machine can take longer than several slices. So each check also
// re-reads every worker's condition (a joined task still Pending or Running, a waited word still
// holding its expected value) and any worker whose condition is already met counts as runnable.
// Slots are read one after the other, not at one instant; the progress counts close that gap: a
// worker leaving a blocked state for any reason but a timed-out slice with its condition
// unchanged bumps its count, so checks that all see the same total saw workers that stayed
// blocked throughout.

import { CHANNEL, SYNC_SITE, TASK, TaskState } from "../compiler/abi.js";
import { describeTask, FaultSites } from "./fault-sites.js";
import { CTL, WaitKind, WSLOT, type ControlLayout } from "./protocol.js";

/** Consecutive silent park slices (with every worker blocked) before a deadlock is declared. */
export const DEADLOCK_SLICES = 3;

/** Read access to task records and wait words in the program's memory (MemoryViews). */
export interface ProgramWords {
  i32(end: number): Int32Array;
  contains(addr: number, size: number): boolean;
}

export class DeadlockDetector {
  private lastProgress = -1;
  private silentSlices = 0;

  constructor(
    private readonly ctl: Int32Array,
    private readonly layout: ControlLayout,
    private readonly memory: ProgramWords,
    /** Whether any worker's deque holds work (queued work means someone can still progress). */
    private readonly anyWork: () => boolean,
    /** Names locks and channels by their creation sites. */
    private readonly sites: FaultSites = FaultSites.none(),
  ) {}

  /** Something happened (a wake-up): the silence is broken. */
  reset(): void {
    this.silentSlices = 0;
  }

  /**
   * One more silent slice. Returns the deadlock report once the run has been stuck for
   * DEADLOCK_SLICES of them, else undefined.
   */
  check(): string | undefined {
    const ctl = this.ctl;
    let progress = 0;
    for (let w = 0; w < this.layout.workers; w++) progress = (progress + Atomics.load(ctl, this.layout.slotBase(w) + WSLOT.PROGRESS)) | 0;
    const allBlocked = Atomics.load(ctl, CTL.BLOCKED) >= this.layout.workers;
    if (!allBlocked || progress !== this.lastProgress || this.anyWork() || Atomics.load(ctl, CTL.RUN_STATE) !== 1 || this.anyRunnable()) {
      this.lastProgress = progress;
      this.silentSlices = 0;
      return undefined;
    }
    if (++this.silentSlices < DEADLOCK_SLICES) return undefined;
    return deadlockReport(ctl, this.layout, this.memory, this.sites);
  }

  /** Whether some worker's published wait is already over (it was woken but has not run yet). */
  private anyRunnable(): boolean {
    const ctl = this.ctl;
    for (let w = 0; w < this.layout.workers; w++) {
      const s = this.layout.slotBase(w);
      const kind = Atomics.load(ctl, s + WSLOT.WAIT_KIND);
      const arg = Atomics.load(ctl, s + WSLOT.WAIT_ARG);
      if (kind === WaitKind.Idle) continue; // runnable only once work is queued (anyWork)
      if (kind === WaitKind.Join) {
        const state = wordAt(this.memory, arg === 0 ? 0 : arg + TASK.STATE);
        if (state !== TaskState.Pending && state !== TaskState.Running) return true;
      } else if (kind === WaitKind.Wait) {
        if (wordAt(this.memory, arg) !== Atomics.load(ctl, s + WSLOT.WAIT_EXPECTED) >>> 0) return true;
      } else return true; // between two waits: not asleep
    }
    return false;
  }
}

/** The user-facing report: which task waits for what, per blocked worker. */
export function deadlockReport(ctl: Int32Array, layout: ControlLayout, memory: ProgramWords, sites: FaultSites = FaultSites.none()): string {
  const describe = (task: number): string => describeTask(memory, task, sites);
  const parts: string[] = [];
  for (let w = 0; w < layout.workers; w++) {
    const s = layout.slotBase(w);
    const kind = Atomics.load(ctl, s + WSLOT.WAIT_KIND);
    const arg = Atomics.load(ctl, s + WSLOT.WAIT_ARG);
    const current = Atomics.load(ctl, s + WSLOT.CURRENT_TASK);
    if (current === 0 || kind === WaitKind.Idle || kind === WaitKind.None) continue;
    if (kind === WaitKind.Join) parts.push(`${describe(current)} waits for ${describe(arg)}`);
    else if (isChannelWait(memory, arg)) {
      const site = sites.syncSite(wordAt(memory, arg + SYNC_SITE.CHANNEL));
      parts.push(`${describe(current)} waits to receive on ${site ?? `a channel (address ${arg})`}`);
    } else {
      // A Mutex's lock word, or another word the program waits on.
      const site = sites.syncSite(wordAt(memory, arg + SYNC_SITE.MUTEX));
      parts.push(site?.startsWith("mutex") ? `${describe(current)} waits to lock ${site}` : `${describe(current)} waits on address ${arg}`);
    }
  }
  return `deadlock: every worker is blocked and no task can make progress${parts.length ? ": " + parts.join("; ") : ""}`;
}

/** The word at `addr`, or 0 outside memory. */
function wordAt(memory: ProgramWords, addr: number): number {
  return addr !== 0 && memory.contains(addr, 4) ? Atomics.load(memory.i32(addr + 4), addr >>> 2) >>> 0 : 0;
}

/** Whether a wait address is a channel's SEQ word: the tag word abi.ts CHANNEL.MAGIC sits CHANNEL.TAG bytes after it. */
function isChannelWait(memory: ProgramWords, addr: number): boolean {
  const tag = addr + CHANNEL.TAG;
  return addr !== 0 && memory.contains(tag, 4) && Atomics.load(memory.i32(tag + 4), tag >>> 2) === CHANNEL.MAGIC;
}
