// One worker's part of a run: set up the run's pieces, instantiate the module against the shared
// memory and play the start/end protocol. Platform-neutral: the browser and Node worker entries
// only adapt messaging. The work itself is done by the modules wired together here:
//   scheduler.ts   fork/join, stealing, parking, the wait policy
//   host-imports.ts the imports given to the wasm module
//   failures.ts    unwinding, first-failure report, panic grace period
//   deadlock.ts    deadlock detection and report
//   trace.ts       per-worker trace records
//   memory-views.ts views of the growable shared memory

import { EXPORTS, TASK } from "../compiler/abi.js";
import { DeadlockDetector } from "./deadlock.js";
import { CapturedPanic, Failures, RunAbort } from "./failures.js";
import { FaultSites } from "./fault-sites.js";
import { hostImports } from "./host-imports.js";
import { createRunMemory } from "./memory-limits.js";
import { MemoryViews } from "./memory-views.js";
import { OutputRingWriter } from "./output-ring.js";
import { MessageSink } from "./output-sink.js";
import { CTL, controlLayout, type RunMessage, type WorkerMessage } from "./protocol.js";
import { Profiler, profileTableBytes, TaskTable, type StrandClock } from "./profile.js";
import { PARK_MS, Scheduler } from "./scheduler.js";
import { TraceRecorder } from "./trace.js";

export interface WorkerPort {
  post(message: WorkerMessage): void;
  /** The profile's strand clock (thread-clock.ts); default wall time. */
  profileClock?: StrandClock;
}

type Exports = {
  __init(id: number, n: number, first: number): void;
  __main(): number;
  __run_task(task: number): void;
  /** Absent in hand-built modules that never capture output. */
  __capturing?(): number;
};

export function executeRun(msg: RunMessage, port: WorkerPort): void {
  const id = msg.workerId;
  const n = msg.workerCount;
  const post = (m: WorkerMessage) => port.post(m);
  const layout = controlLayout(n);
  let memory: WebAssembly.Memory;
  let control: SharedArrayBuffer;
  if (msg.memory && msg.control) {
    memory = msg.memory;
    control = msg.control;
  } else {
    // Sequential mode: nothing is shared with the coordinator, so this worker owns both.
    memory = createRunMemory({ initialPages: msg.memoryPages, maxPages: msg.maxMemoryPages, explicitMax: msg.explicitMaxMemory }).memory;
    control = allocateShared(layout.totalBytes);
  }
  const ctl = new Int32Array(control);
  const views = new MemoryViews(memory);
  const sink = msg.memory ? new OutputRingWriter(ctl, layout.outRingByte) : new MessageSink(post, msg.runId);
  const originDeltaMs = performance.timeOrigin - msg.startEpochMs;
  const nowMs = () => originDeltaMs + performance.now();
  const sites = FaultSites.fromModule(msg.module);
  const failures = new Failures(ctl, layout, views, sink, post, msg.runId, nowMs, { workerId: id, sites });
  const trace = new TraceRecorder(views, id, msg.trace, undefined, sites);
  let scheduler: Scheduler | undefined;
  const deadlock = new DeadlockDetector(ctl, layout, views, () => scheduler!.anyWork(), sites);
  const profiler = msg.profile ? new Profiler(views, new TaskTable(msg.profileTable ?? allocateShared(profileTableBytes())), port.profileClock, sites) : undefined;
  scheduler = new Scheduler({ workerId: id, ctl, layout, memory: views, failures, deadlock, trace, nowMs, jitterUs: msg.jitterUs ?? 0, profiler });
  let exports: Exports | undefined;
  const imports = hostImports({ memory: views, scheduler, failures, sink, capturing: () => exports?.__capturing?.() === 1, nowMs });

  let mainDone = false;
  let mainExitCode: number | undefined;
  try {
    exports = instantiate(msg.module, imports);
    const ex = exports;
    // __init with first = 0 only sets per-instance globals, so calling it again is harmless.
    scheduler.attach({ run: (task) => ex.__run_task(task), resetGlobals: () => ex.__init(id, n, 0) });
    if (id === 0) {
      ex.__init(0, n, 1);
      Atomics.store(ctl, CTL.RUN_STATE, 1);
      Atomics.notify(ctl, CTL.RUN_STATE);
      const main = ex.__main();
      scheduler.runTask(main, false);
      mainDone = true;
      // main's RESULT holds the process exit code: 0, or 1 when main returned Err, or an ExitCode.
      mainExitCode = Atomics.load(views.i32(main + TASK.SIZE), (main + TASK.RESULT) >>> 2);
      endRun(ctl, sink);
    } else {
      while (Atomics.load(ctl, CTL.RUN_STATE) === 0) Atomics.wait(ctl, CTL.RUN_STATE, 0, PARK_MS);
      if (Atomics.load(ctl, CTL.RUN_STATE) === 1) {
        ex.__init(id, n, 0);
        scheduler.idleLoop();
      }
    }
  } catch (e) {
    if (e instanceof CapturedPanic) failures.fail("panic", e.line);
    else if (!(e instanceof RunAbort)) failures.crash(e);
  }
  post({ type: "finished", runId: msg.runId, trace: trace.tasks, dropped: trace.dropped, mainDone, mainExitCode, profile: profiler?.report() });
}

function instantiate(module: WebAssembly.Module, imports: WebAssembly.Imports): Exports {
  const instance = new WebAssembly.Instance(module, imports);
  for (const name of [EXPORTS.init, EXPORTS.main, EXPORTS.runTask]) {
    if (typeof (instance.exports as Record<string, unknown>)[name] !== "function") {
      throw new Error(`module does not export ${name}`);
    }
  }
  return instance.exports as unknown as Exports;
}

/** Main returned: close output (karac exits here, so later output from detached tasks is lost). */
function endRun(ctl: Int32Array, sink: { write(fd: number, bytes: Uint8Array, close?: boolean): boolean }): void {
  sink.write(1, new Uint8Array(0), true);
  Atomics.store(ctl, CTL.RUN_STATE, 2);
  Atomics.add(ctl, CTL.EPOCH, 1);
  Atomics.notify(ctl, CTL.EPOCH);
}

/** A SharedArrayBuffer even where the constructor is hidden (no cross-origin isolation). */
function allocateShared(bytes: number): SharedArrayBuffer {
  if (typeof SharedArrayBuffer !== "undefined") return new SharedArrayBuffer(bytes);
  const pages = Math.ceil(bytes / 65536);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer as unknown as SharedArrayBuffer;
}
