// The wasm host adapter: the imports of the ABI (compiler/abi.ts HOST_IMPORTS) given to the
// module, each translated into the worker's scheduler, output sink and failure handling. It
// holds no scheduling logic of its own; memory access goes through MemoryViews so addresses in
// memory grown by any worker are reachable.

import { HOST_MODULE, MEMORY_MODULE, MEMORY_NAME } from "../compiler/abi.js";
import { CapturedPanic, RunAbort, type Failures } from "./failures.js";
import { formatF64, parseF64 } from "./float-format.js";
import type { MemoryViews } from "./memory-views.js";
import type { OutputSink } from "./output-sink.js";
import type { Scheduler } from "./scheduler.js";

export interface HostParts {
  memory: MemoryViews;
  scheduler: Scheduler;
  failures: Failures;
  sink: OutputSink;
  /** Whether the running task captures its output (EXPORTS.capturing); false before instantiation. */
  capturing: () => boolean;
  /** Milliseconds since the run started, on the coordinator's clock. */
  nowMs: () => number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function hostImports(parts: HostParts): WebAssembly.Imports {
  const { memory, scheduler, failures, sink } = parts;
  return {
    [MEMORY_MODULE]: { [MEMORY_NAME]: memory.memory },
    [HOST_MODULE]: {
      write: (fd: number, ptr: number, len: number) => {
        failures.checkAbort();
        if (!sink.write(fd === 2 ? 2 : 1, memory.copy(ptr, len))) throw new RunAbort();
      },
      panic: (ptr: number, len: number): never => {
        failures.checkAbort();
        const text = decoder.decode(memory.copy(ptr, len));
        // Captured: the line waits in the capture for the joiner, and siblings earlier in source
        // order must finish so their output is kept. So the run goes on and nothing is aborted.
        if (parts.capturing()) throw new CapturedPanic(text);
        failures.fail("panic", failures.panicLine(text));
        throw new RunAbort();
      },
      fork: (task: number) => scheduler.fork(task),
      run_inline: (task: number) => scheduler.runTask(task, false),
      join: (task: number) => scheduler.join(task),
      f64_to_str: (x: number, buf: number) => {
        const bytes = encoder.encode(formatF64(x));
        memory.u8((buf >>> 0) + bytes.length).set(bytes, buf >>> 0);
        return bytes.length;
      },
      f64_parse: (ptr: number, len: number, out: number) => {
        const v = parseF64(decoder.decode(memory.copy(ptr, len)));
        if (v === undefined) return 0;
        memory.data((out >>> 0) + 8).setFloat64(out >>> 0, v, true);
        return 1;
      },
      wait: (addr: number, expected: number) => scheduler.wait(addr, expected),
      notify: (addr: number, count: number) => {
        scheduler.notified(addr);
        Atomics.notify(memory.i32((addr >>> 0) + 4), addr >>> 2, count < 0 ? undefined : count);
      },
      now_ns: () => BigInt(Math.max(0, Math.floor(parts.nowMs() * 1e6))),
    },
  };
}
