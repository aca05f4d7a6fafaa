// Where a run is, read from outside it: the task each worker is inside (its control-buffer slot)
// and the function that task runs. The coordinator reads it when a timeout ends a run, so the
// message says what was still going. Non-blocking reads only: the coordinator never blocks.

import { TASK } from "../compiler/abi.js";
import { describeFunction, describeTask, taskFunction, type FaultSites, type TaskWords } from "./fault-sites.js";
import { WaitKind, WSLOT, type ControlLayout } from "./protocol.js";

/** Read access to the program's memory that follows its growth (MemoryViews). */
export interface ProgramMemory extends TaskWords {
  contains(addr: number, size: number): boolean;
}

/**
 * One entry per worker inside a task: `task 3 (par, line 12) in worker (declared at line 20),
 * waiting for task 5 (spawn, line 22)`. Empty when no worker is inside a task.
 */
export function runPosition(ctl: Int32Array, layout: ControlLayout, memory: ProgramMemory, sites: FaultSites): string[] {
  const isTask = (task: number) => task !== 0 && memory.contains(task, TASK.SIZE);
  const entries: string[] = [];
  for (let w = 0; w < layout.workers; w++) {
    const slot = layout.slotBase(w);
    const task = Atomics.load(ctl, slot + WSLOT.CURRENT_TASK);
    if (!isTask(task)) continue;
    const fn = taskFunction(memory, sites, task);
    let entry = describeTask(memory, task, sites) + (fn ? ` in ${describeFunction(fn)}` : "");
    const kind = Atomics.load(ctl, slot + WSLOT.WAIT_KIND);
    const arg = Atomics.load(ctl, slot + WSLOT.WAIT_ARG);
    if (kind === WaitKind.Join && isTask(arg)) entry += `, waiting for ${describeTask(memory, arg, sites)}`;
    else if (kind === WaitKind.Wait) entry += ", waiting on a lock or channel";
    entries.push(entry);
  }
  return entries;
}

/** The timeout message: how long, and what was running then. */
export function timeoutMessage(seconds: string, position: string[]): string {
  return `timed out after ${seconds}` + (position.length ? ` while running ${position.join("; ")}` : "");
}
