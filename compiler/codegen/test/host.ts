// A tiny sequential host for tests: runs a generated module in-process on one "worker".
// fork queues a task, join runs queued tasks until the joined one is finished, write collects
// output. Optional shuffling runs queued tasks in a random order to shake out ordering bugs.
// Panics follow the protocol of abi.ts (EXPORTS.capturing): a panic in a task that has a joiner
// fails only that task and is re-raised by the joiner after the join.

import { CAPTURE_CHUNK_HEADER, EXPORTS, HOST_MODULE, LAYOUT, MEMORY_MAX_PAGES, MEMORY_MODULE, MEMORY_NAME, TASK, TaskFlags, TaskState } from "../../abi.js";
import { formatF64, parseF64 } from "../../../wasm-runtime/float-format.js";

export interface HostRun {
  stdout: string;
  stderr: string;
  /** The panic line, when the program panicked. */
  panic?: string;
  exitCode: number;
  memory: WebAssembly.Memory;
  tasksRun: number;
}

class PanicSignal {
  constructor(readonly line: string) {}
}

/** A panic already recorded in the raising task's buffer: unwinds to that task's runner. */
class CapturedPanic {}

export interface HostOptions {
  /** Initial memory size in pages (default 256). */
  pages?: number;
  /** The memory's maximum in pages (default MEMORY_MAX_PAGES): the allocator grows it up to this. */
  maxPages?: number;
  /** Written to LAYOUT.MEMORY_LIMIT_PAGES: a heap limit below the memory's maximum (default none). */
  limitPages?: number;
  /** Run queued tasks in a pseudo-random order (seeded) instead of LIFO. */
  shuffleSeed?: number;
}

export function runWasm(wasm: Uint8Array, opts: HostOptions = {}): HostRun {
  const pages = opts.pages ?? 256;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: Math.max(pages, opts.maxPages ?? MEMORY_MAX_PAGES), shared: true });
  if (opts.limitPages !== undefined) new Int32Array(memory.buffer)[LAYOUT.MEMORY_LIMIT_PAGES >>> 2] = opts.limitPages;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const out: { fd: number; bytes: Uint8Array }[] = [];
  const queue: number[] = [];
  let rng = opts.shuffleSeed ?? 0;
  let tasksRun = 0;
  const mem32 = () => new Int32Array(memory.buffer);
  const mem8 = () => new Uint8Array(memory.buffer);
  let exports!: { __init(a: number, b: number, c: number): void; __main(): number; __run_task(t: number): void; __capturing(): number };

  const state = (t: number) => Atomics.load(mem32(), (t + TASK.STATE) >>> 2);
  const runTask = (t: number) => {
    if (Atomics.compareExchange(mem32(), (t + TASK.STATE) >>> 2, TaskState.Pending, TaskState.Running) !== TaskState.Pending) return;
    tasksRun++;
    try {
      exports.__run_task(t);
    } catch (e) {
      Atomics.store(mem32(), (t + TASK.STATE) >>> 2, TaskState.Failed);
      // The task that raised the panic recorded it and stops the unwinding; its joiner re-raises.
      // The import wrapper that ran this task restores the caller's globals.
      if (e instanceof CapturedPanic) return;
      throw e;
    }
    Atomics.store(mem32(), (t + TASK.STATE) >>> 2, TaskState.Done);
  };
  const next = (): number | undefined => {
    if (queue.length === 0) return undefined;
    if (opts.shuffleSeed === undefined) return queue.pop();
    rng = (rng * 1103515245 + 12345) & 0x7fffffff;
    return queue.splice(rng % queue.length, 1)[0];
  };

  const imports = {
    [MEMORY_MODULE]: { [MEMORY_NAME]: memory },
    [HOST_MODULE]: {
      write: (fd: number, ptr: number, len: number) => {
        out.push({ fd, bytes: mem8().slice(ptr, ptr + len) });
      },
      panic: (ptr: number, len: number) => {
        if (exports.__capturing()) throw new CapturedPanic();
        throw new PanicSignal(decoder.decode(mem8().slice(ptr, ptr + len)));
      },
      fork: (t: number) => {
        queue.push(t);
      },
      run_inline: (t: number) => runTask(t),
      join: (t: number) => {
        while (state(t) === TaskState.Pending || state(t) === TaskState.Running) {
          const n = next();
          if (n === undefined) throw new Error(`join: task ${t} can never finish`);
          runTask(n);
        }
      },
      f64_to_str: (x: number, buf: number) => {
        const b = encoder.encode(formatF64(x));
        mem8().set(b, buf);
        return b.length;
      },
      f64_parse: (ptr: number, len: number, outp: number) => {
        const v = parseF64(decoder.decode(mem8().slice(ptr, ptr + len)));
        if (v === undefined) return 0;
        new DataView(memory.buffer).setFloat64(outp, v, true);
        return 1;
      },
      wait: () => {
        throw new Error("wait: would block forever in the sequential test host");
      },
      notify: () => {},
      now_ns: () => BigInt(Math.round(performance.now() * 1e6)),
    },
  };
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm as unknown as BufferSource), imports);
  exports = inst.exports as unknown as typeof exports;
  let panic: string | undefined;
  let exitCode = 0;
  try {
    exports[EXPORTS.init as "__init"](0, 1, 1);
    const main = exports[EXPORTS.main as "__main"]();
    runTask(main);
    // main's RESULT word is the exit code (1 when main returned Err).
    exitCode = Atomics.load(mem32(), (main + TASK.RESULT) >>> 2);
  } catch (e) {
    if (e instanceof PanicSignal) panic = e.line;
    else throw e;
  }
  const text = (fd: number) => decoder.decode(concat(out.filter((o) => o.fd === fd).map((o) => o.bytes)));
  return {
    stdout: text(1) + (panic !== undefined ? panic + "\n" : ""),
    stderr: text(2),
    panic,
    exitCode: panic !== undefined ? 1 : exitCode,
    memory,
    tasksRun,
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const r = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    r.set(p, o);
    o += p.length;
  }
  return r;
}

export { CAPTURE_CHUNK_HEADER, LAYOUT };
