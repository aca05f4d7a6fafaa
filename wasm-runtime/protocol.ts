// Messages between the coordinator (page or Node main thread) and the pool workers, and the
// layout of the control SharedArrayBuffer they share for one run. The control buffer holds
// everything the scheduler touches on the hot path, so postMessage carries only set-up and
// end-of-run reports.

import type { TraceTask } from "./api.js";
import type { WorkerProfile } from "./profile.js";

/** Int32 slots at the start of the control buffer. */
export const CTL = {
  /** 0 = worker 0 still initialising, 1 = running, 2 = over (main finished or the run aborted). */
  RUN_STATE: 0,
  /** 0 = fine; otherwise a FailureKind: the run must stop. */
  ABORT: 1,
  /** Bumped whenever work appears or a parked joiner must re-check; idle workers park on it. */
  EPOCH: 2,
  /** Workers currently parked on EPOCH (pushers only notify when non-zero). */
  SLEEPERS: 3,
  /** Claimed (0 → 1) by the first failure of the run; only that worker reports it. */
  FAILURE_CLAIM: 4,
  /** Output ring: producer lock, consumer position, producer position (byte counters, wrap at 2^32). */
  OUT_LOCK: 5,
  OUT_HEAD: 6,
  OUT_TAIL: 7,
  /** Non-zero once no more output may enter the ring (after the panic line). */
  OUT_CLOSED: 8,
  /** Workers blocked with nothing to run (idle, joining, or in wait()); used for deadlock detection. */
  BLOCKED: 9,
  /** Length of the failure message stored at FAILURE_TEXT. */
  FAILURE_LEN: 11,
  /**
   * The first task that failed with a panic a joiner will re-raise (0 = none yet), and when
   * (ms since the run started). A joiner still waiting PANIC_GRACE_MS later ends the run.
   */
  PANIC_TASK: 12,
  PANIC_AT_MS: 13,
  /** Number of Int32 header slots. */
  HEADER: 16,
} as const;

/** Per-worker block: which task the worker is running and what it waits for (deadlock report). */
export const WSLOT = {
  CURRENT_TASK: 0, // task pointer the worker is inside (0 = none)
  WAIT_KIND: 1, // WaitKind
  WAIT_ARG: 2, // task pointer (join) or address (wait)
  /**
   * Bumped on every task start and end and whenever the worker leaves a blocked state for a
   * reason other than a slice that timed out with its condition unchanged (a wake-up, a changed
   * word, work found); a deadlock is "all blocked and no slot's count moves".
   */
  PROGRESS: 3,
  /** The value a worker in the wait import sleeps while its word holds (WAIT_ARG is the word's address). */
  WAIT_EXPECTED: 4,
  /** 64 bytes, so each worker's counters sit on their own cache line. */
  SIZE: 16,
} as const;

export const WaitKind = { None: 0, Idle: 1, Join: 2, Wait: 3 } as const;

export const FailureKind = { None: 0, Panic: 1, Crash: 2, Deadlock: 3, Stopped: 4 } as const;

/** Deque capacity per worker (a power of two); a fork that finds its ring full runs inline. */
export const DEQUE_CAP = 4096;
/** Output ring size in bytes (a power of two). */
export const OUT_RING_BYTES = 1 << 20;
/** Bytes reserved for the first failure's message. */
export const FAILURE_TEXT_BYTES = 4096;

export interface ControlLayout {
  workers: number;
  /** Int32 index of worker w's deque: [top, bottom, ring[DEQUE_CAP]]. */
  dequeBase(w: number): number;
  /** Int32 index of worker w's status slot. */
  slotBase(w: number): number;
  failureTextByte: number;
  outRingByte: number;
  totalBytes: number;
}

export function controlLayout(workers: number): ControlLayout {
  const dequeInts = 2 + DEQUE_CAP;
  const dequesStart = CTL.HEADER;
  const slotsStart = (dequesStart + workers * dequeInts + 15) & ~15; // cache-line aligned
  const failureTextByte = (slotsStart + workers * WSLOT.SIZE) * 4;
  const outRingByte = failureTextByte + FAILURE_TEXT_BYTES;
  return {
    workers,
    dequeBase: (w) => dequesStart + w * dequeInts,
    slotBase: (w) => slotsStart + w * WSLOT.SIZE,
    failureTextByte,
    outRingByte,
    totalBytes: outRingByte + OUT_RING_BYTES,
  };
}

/** Coordinator → worker: start one run. */
export interface RunMessage {
  type: "run";
  runId: number;
  module: WebAssembly.Module;
  /** Absent in sequential mode: the worker creates memory and control itself. */
  memory?: WebAssembly.Memory;
  control?: SharedArrayBuffer;
  /** The memory's initial size and growth limit in pages (memory-limits.ts); sequential mode creates it from these. */
  memoryPages: number;
  maxMemoryPages: number;
  /** The limit was given by the caller: sequential mode must not lower it to fit the engine. */
  explicitMaxMemory: boolean;
  workerId: number;
  workerCount: number;
  /** performance.timeOrigin + performance.now() on the coordinator when the run started. */
  startEpochMs: number;
  trace: boolean;
  /** RunOptions.jitterUs (0: none). */
  jitterUs?: number;
  /** RunOptions.profile: on. */
  profile?: boolean;
  /** The profile's shared task table (profile.ts); sequential mode creates its own. */
  profileTable?: SharedArrayBuffer;
}

export type FailureReport = { kind: "panic" | "crash" | "deadlock"; message: string };

/** Worker → coordinator. */
export type WorkerMessage =
  | { type: "ready" }
  /** Sent by the worker that claimed the run's first failure, before it unwinds. */
  | { type: "failed"; runId: number; failure: FailureReport }
  /** Sequential mode only: output goes by message since no memory is shared with the coordinator. */
  | { type: "output"; runId: number; fd: 1 | 2; bytes: Uint8Array }
  /** mainExitCode: set by worker 0 when main returned (the i32 in the main task's RESULT). */
  | { type: "finished"; runId: number; trace: TraceTask[]; dropped: number; mainDone: boolean; mainExitCode?: number; profile?: WorkerProfile };
