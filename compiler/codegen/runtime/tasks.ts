// Output routing, capture buffers, task records, panics and the module's exported entry
// points (__init, __main, __run_task). See compiler/abi.ts for the contract.

import binaryen from "binaryen";
import { CAPTURE_CHUNK_HEADER, CAPTURE_PANIC_FD, EXPORTS, LAYOUT, TASK, TaskFlags, TaskKind, TaskState } from "../../abi.js";
import type { Gen } from "../context.js";
import { i32, none, MEM, TABLE } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC, FREE, REALLOC } from "./alloc.js";
import { G, H, H_RAW } from "./names.js";
import { STR } from "./strings.js";

export const RTT = {
  write: "rt_out_write",
  captureRaw: "rt_capture_raw",
  /** Replay a joined task's output, then re-raise its panic if it failed. */
  replay: "rt_replay_capture",
  /** Replay a joined task's output only; a panic chunk stays for `reraise`. */
  replayOutput: "rt_replay_output",
  /** Re-raise the panic a joined task failed with (no-op otherwise). */
  reraise: "rt_reraise",
  taskNew: "rt_task_new",
  panic: "rt_panic",
} as const;

export function emitTaskRuntime(g: Gen): void {
  const { m, ir } = g;
  const cap = (t: number, l: Parameters<typeof ir.get>[0]) => ({
    ptr: () => ir.load32(ir.get(l, t), TASK.CAPTURE_PTR),
    len: () => ir.load32(ir.get(l, t), TASK.CAPTURE_LEN),
    cap: () => ir.load32(ir.get(l, t), TASK.CAPTURE_CAP),
  });

  // Make room for n more bytes in task t's capture buffer; returns the write address.
  g.define("rt_capture_room", [i32, i32], i32, (l) => {
    const [t, n] = [0, 1];
    const need = l.add(i32);
    const c = l.add(i32);
    const b = cap(t, l);
    return [
      ir.set(need, m.i32.add(b.len(), ir.get(l, n))),
      m.if(
        m.i32.gt_u(ir.get(l, need), b.cap()),
        m.block(null, [
          ir.set(c, m.i32.shl(b.cap(), ir.c32(1))),
          m.if(m.i32.lt_u(ir.get(l, c), ir.get(l, need)), ir.set(c, ir.get(l, need))),
          m.if(m.i32.lt_u(ir.get(l, c), ir.c32(64)), ir.set(c, ir.c32(64))),
          ir.store32(ir.get(l, t), m.call(REALLOC, [b.ptr(), ir.get(l, c)], i32), TASK.CAPTURE_PTR),
          ir.store32(ir.get(l, t), ir.get(l, c), TASK.CAPTURE_CAP),
        ]),
      ),
      ir.set(c, m.i32.add(b.ptr(), b.len())),
      ir.store32(ir.get(l, t), ir.get(l, need), TASK.CAPTURE_LEN),
      m.return(ir.get(l, c)),
    ];
  });

  // Append already-formatted chunks (a joined child's buffer) to task t's capture.
  g.define(RTT.captureRaw, [i32, i32, i32], none, (l) => [
    m.memory.copy(m.call("rt_capture_room", [ir.get(l, 0), ir.get(l, 2)], i32), ir.get(l, 1), ir.get(l, 2), MEM, MEM),
  ]);

  // write(fd, ptr, len) for the running task: into the capture, or out through the host.
  g.define(RTT.write, [i32, i32, i32], none, (l) => {
    const [fd, p, n] = [0, 1, 2];
    const at = l.add(i32);
    return [
      m.if(m.i32.eqz(ir.get(l, n)), m.return()),
      m.if(
        m.i32.eqz(m.global.get(G.CAPTURE, i32)),
        m.block(null, [m.call(H.write, [ir.get(l, fd), ir.get(l, p), ir.get(l, n)], none), m.return()]),
      ),
      ir.set(at, m.call("rt_capture_room", [m.global.get(G.CAPTURE, i32), m.i32.add(ir.get(l, n), ir.c32(CAPTURE_CHUNK_HEADER))], i32)),
      m.i32.store8(0, 1, ir.get(l, at), ir.get(l, fd), MEM),
      m.i32.store(1, 1, ir.get(l, at), ir.get(l, n), MEM),
      m.memory.copy(m.i32.add(ir.get(l, at), ir.c32(CAPTURE_CHUNK_HEADER)), ir.get(l, p), ir.get(l, n), MEM, MEM),
    ];
  });

  // After joining `child`: pass its captured output on, chunk by chunk (to our capture, or out
  // through the host), without raising. A panic chunk (always the last: a panic ends the task) is
  // kept alone in the buffer for rt_reraise; otherwise the buffer is released.
  g.define(RTT.replayOutput, [i32], none, (l) => {
    const t = 0;
    const p = l.add(i32);
    const n = l.add(i32);
    const i = l.add(i32);
    const len = l.add(i32);
    const fd = l.add(i32);
    const at = () => m.i32.add(ir.get(l, p), ir.get(l, i));
    const b = cap(t, l);
    return [
      ir.set(p, b.ptr()),
      ir.set(n, b.len()),
      // A captured joiner takes the whole buffer at once unless the task failed (then its last
      // chunk is the panic line, which must stay behind).
      m.if(
        m.i32.and(
          m.i32.ne(m.global.get(G.CAPTURE, i32), ir.c32(0)),
          m.i32.ne(m.i32.atomic.load(TASK.STATE, ir.get(l, t), MEM), ir.c32(TaskState.Failed)),
        ),
        m.block(null, [
          m.if(ir.get(l, n), m.call(RTT.captureRaw, [m.global.get(G.CAPTURE, i32), ir.get(l, p), ir.get(l, n)], none)),
          ir.set(i, ir.get(l, n)),
        ]),
      ),
      m.loop(
        "chunks",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.get(l, n)),
          m.block(null, [
            ir.set(len, m.i32.load(1, 1, at(), MEM)),
            ir.set(fd, m.i32.load8_u(0, 1, at(), MEM)),
            m.if(
              m.i32.eq(ir.get(l, fd), ir.c32(CAPTURE_PANIC_FD)),
              m.block(null, [
                m.memory.copy(ir.get(l, p), at(), m.i32.add(ir.get(l, len), ir.c32(CAPTURE_CHUNK_HEADER)), MEM, MEM),
                ir.store32(ir.get(l, t), m.i32.add(ir.get(l, len), ir.c32(CAPTURE_CHUNK_HEADER)), TASK.CAPTURE_LEN),
                m.return(),
              ]),
            ),
            m.if(
              m.global.get(G.CAPTURE, i32),
              m.call(RTT.captureRaw, [m.global.get(G.CAPTURE, i32), at(), m.i32.add(ir.get(l, len), ir.c32(CAPTURE_CHUNK_HEADER))], none),
              m.call(H.write, [ir.get(l, fd), m.i32.add(at(), ir.c32(CAPTURE_CHUNK_HEADER)), ir.get(l, len)], none),
            ),
            ir.set(i, m.i32.add(ir.get(l, i), m.i32.add(ir.get(l, len), ir.c32(CAPTURE_CHUNK_HEADER)))),
            m.br("chunks"),
          ]),
        ),
      ),
      m.call(FREE, [ir.get(l, p)], none),
      ir.store32(ir.get(l, t), ir.c32(0), TASK.CAPTURE_PTR),
      ir.store32(ir.get(l, t), ir.c32(0), TASK.CAPTURE_LEN),
      ir.store32(ir.get(l, t), ir.c32(0), TASK.CAPTURE_CAP),
    ];
  });

  // A joined child that panicked: raise its panic again here, in the joiner (the panic surfaces
  // level by level, each joiner having first replayed the output before it).
  g.define(RTT.reraise, [i32], none, (l) => {
    const p = l.add(i32);
    return [
      m.if(m.i32.eqz(ir.load32(ir.get(l, 0), TASK.CAPTURE_LEN)), m.return()),
      ir.set(p, ir.load32(ir.get(l, 0), TASK.CAPTURE_PTR)),
      m.if(
        m.i32.eq(m.i32.load8_u(0, 1, ir.get(l, p), MEM), ir.c32(CAPTURE_PANIC_FD)),
        m.call("rt_raise", [m.i32.add(ir.get(l, p), ir.c32(CAPTURE_CHUNK_HEADER)), m.i32.load(1, 1, ir.get(l, p), MEM)], none),
      ),
    ];
  });

  // Replay then re-raise: a joined task's output, then its panic if it failed.
  g.define(RTT.replay, [i32], none, (l) => [m.call(RTT.replayOutput, [ir.get(l, 0)], none), m.call(RTT.reraise, [ir.get(l, 0)], none)]);

  // rt_task_new(fn, env, kind, line, flags) -> zeroed, Pending task record with a fresh id.
  g.define(RTT.taskNew, [i32, i32, i32, i32, i32], i32, (l) => {
    const [fn, env, kind, line, flags] = [0, 1, 2, 3, 4];
    const t = l.add(i32);
    return [
      ir.set(t, m.call(ALLOC, [ir.c32(TASK.SIZE)], i32)),
      m.memory.fill(ir.get(l, t), ir.c32(0), ir.c32(TASK.SIZE), MEM),
      ir.store32(ir.get(l, t), ir.get(l, fn), TASK.FN),
      ir.store32(ir.get(l, t), ir.get(l, env), TASK.ENV),
      ir.store32(ir.get(l, t), ir.get(l, kind), TASK.KIND),
      ir.store32(ir.get(l, t), ir.get(l, line), TASK.LINE),
      ir.store32(ir.get(l, t), ir.get(l, flags), TASK.FLAGS),
      ir.store32(ir.get(l, t), m.i32.atomic.rmw.add(0, ir.c32(LAYOUT.NEXT_TASK_ID), ir.c32(1), MEM), TASK.ID),
      ir.store32(
        ir.get(l, t),
        m.if(m.global.get(G.TASK, i32), ir.load32(m.global.get(G.TASK, i32), TASK.ID), ir.c32(0)),
        TASK.PARENT,
      ),
      // A new task starts with its creator's provider stack (par branches, spawns, auto-parallel branches).
      ir.store32(ir.get(l, t), m.if(m.global.get(G.TASK, i32), ir.load32(m.global.get(G.TASK, i32), TASK.PROVIDERS), ir.c32(0)), TASK.PROVIDERS),
      // `dbg` lines of a task with no number of its own (an automatically parallel branch) carry its creator's.
      ir.store32(ir.get(l, t), m.if(m.global.get(G.TASK, i32), ir.load32(m.global.get(G.TASK, i32), TASK.DBG_ID), ir.c32(0)), TASK.DBG_ID),
      // Publish the record before the host can see the pointer.
      m.i32.atomic.store(TASK.STATE, ir.get(l, t), ir.c32(0), MEM),
      m.return(ir.get(l, t)),
    ];
  });

  // rt_panic(prefix, msg): both String headers; formats the line and hands it to the host. A
  // panic while a contract predicate is being evaluated says so, as karac's does (only programs
  // with contracts carry the test).
  const inPredicate = g.program.functions.some((f) => f.contracts?.length) ? g.staticString("contract predicate panicked: ") : undefined;
  g.define(RTT.panic, [i32, i32], none, (l) => {
    const s = l.add(i32);
    return [
      ir.set(s, m.call(STR.new, [ir.c32(128)], i32)),
      m.call(STR.pushStr, [ir.get(l, s), ir.get(l, 0)], none),
      ...(inPredicate === undefined ? [] : [m.if(m.global.get(G.CONTRACT, i32), m.call(STR.pushStr, [ir.get(l, s), ir.c32(inPredicate)], none))]),
      m.call(STR.pushStr, [ir.get(l, s), ir.get(l, 1)], none),
      m.call("rt_raise", [ir.load32(ir.get(l, s), HDR.DATA), ir.load32(ir.get(l, s), HDR.LEN)], none),
      m.unreachable(),
    ];
  });

  // rt_failable() -> i32: whether a panic now fails only the running task (a par branch or a
  // joined spawned task): its joiner re-raises it after the join. Main and detached tasks have
  // no joiner, so a panic there ends the run at once.
  g.define("rt_failable", [], i32, () => [
    m.if(
      m.i32.eqz(m.global.get(G.TASK, i32)),
      m.return(ir.c32(0)),
    ),
    m.i32.and(
      m.i32.ne(ir.load32(m.global.get(G.TASK, i32), TASK.KIND), ir.c32(TaskKind.Main)),
      m.i32.eqz(m.i32.and(ir.load32(m.global.get(G.TASK, i32), TASK.FLAGS), ir.c32(TaskFlags.Detached))),
    ),
  ]);

  // rt_raise(line, len): a failable task records the line as a CAPTURE_PANIC_FD chunk in its own
  // buffer (its joiner re-raises it after replaying the output that precedes it) and cancels its
  // siblings: the par's or the group's cancel word (effects-concurrency §4.2).
  g.define("rt_raise", [i32, i32], none, (l) => {
    const at = l.add(i32);
    const t = l.add(i32);
    return [
      m.if(
        m.call("rt_failable", [], i32),
        m.block(null, [
          ir.set(t, m.global.get(G.TASK, i32)),
          ir.set(at, m.call("rt_capture_room", [ir.get(l, t), m.i32.add(ir.get(l, 1), ir.c32(CAPTURE_CHUNK_HEADER))], i32)),
          m.i32.store8(0, 1, ir.get(l, at), ir.c32(CAPTURE_PANIC_FD), MEM),
          m.i32.store(1, 1, ir.get(l, at), ir.get(l, 1), MEM),
          m.memory.copy(m.i32.add(ir.get(l, at), ir.c32(CAPTURE_CHUNK_HEADER)), ir.get(l, 0), ir.get(l, 1), MEM, MEM),
          // Branches the compiler introduced (auto-par groups, reduction chunks) must not cancel
          // their siblings: the sequential program runs the statements before the panicking one
          // to completion, so their output has to appear before the panic line.
          m.if(
            m.i32.lt_u(ir.load32(ir.get(l, t), TASK.KIND), ir.c32(TaskKind.AutoParBranch)),
            m.block(null, [
              m.if(ir.load32(ir.get(l, t), TASK.CANCEL), m.i32.atomic.store(0, ir.load32(ir.get(l, t), TASK.CANCEL), ir.c32(1), MEM)),
              m.if(ir.load32(ir.get(l, t), TASK.GROUP), m.i32.atomic.store(0, ir.load32(ir.get(l, t), TASK.GROUP), ir.c32(1), MEM)),
            ]),
          ),
        ]),
      ),
      m.call(H.panic, [ir.get(l, 0), ir.get(l, 1)], none),
      m.unreachable(),
    ];
  });

  // The host asks inside `panic` whether the panic was recorded for a joiner (see rt_raise).
  g.define(EXPORTS.capturing, [], i32, () => [m.call("rt_failable", [], i32)]);

  // Host calls that may run other tasks on this worker: the per-instance globals are restored
  // afterwards, so a task that failed and unwound inside the call cannot leave them stale.
  // `fork` (a full deque runs the task at once) and `wait` (runs queued work when every other
  // worker is blocked) are wrapped under their own H names, so every call site is covered.
  for (const [name, imp, params] of [
    ["rt_join", H.join, [i32]],
    ["rt_run_inline", H.run_inline, [i32]],
    [H.fork, H_RAW.fork, [i32]],
    [H.wait, H_RAW.wait, [i32, i32]],
  ] as const) {
    g.define(name, [...params], none, (l) => {
      const [t, c] = [l.add(i32), l.add(i32)];
      return [
        ir.set(t, m.global.get(G.TASK, i32)),
        ir.set(c, m.global.get(G.CAPTURE, i32)),
        m.call(imp, params.map((_, k) => ir.get(l, k)), none),
        m.global.set(G.TASK, ir.get(l, t)),
        m.global.set(G.CAPTURE, ir.get(l, c)),
      ];
    });
  }

  g.define("rt_null_fn", [i32], none, () => m.unreachable());

  // __run_task(task): install the task (and its capture when Captured), run it, restore.
  g.define("__run_task", [i32], none, (l) => {
    const t = 0;
    const savedTask = l.add(i32);
    const savedCap = l.add(i32);
    const savedContract = l.add(i32);
    return [
      ir.set(savedTask, m.global.get(G.TASK, i32)),
      ir.set(savedCap, m.global.get(G.CAPTURE, i32)),
      // A task run while this worker waits inside a predicate is not part of that predicate.
      ir.set(savedContract, m.global.get(G.CONTRACT, i32)),
      m.global.set(G.CONTRACT, ir.c32(0)),
      m.global.set(G.TASK, ir.get(l, t)),
      // A captured task prints into its own buffer; a detached one straight to the host, even
      // when it runs inside the join of captured code (no joiner would replay its output).
      m.if(m.i32.and(ir.load32(ir.get(l, t), TASK.FLAGS), ir.c32(TaskFlags.Captured)), m.global.set(G.CAPTURE, ir.get(l, t))),
      m.if(m.i32.and(ir.load32(ir.get(l, t), TASK.FLAGS), ir.c32(TaskFlags.Detached)), m.global.set(G.CAPTURE, ir.c32(0))),
      m.call_indirect(TABLE, ir.load32(ir.get(l, t), TASK.FN), [ir.get(l, t)], binaryen.createType([i32]), none),
      m.global.set(G.TASK, ir.get(l, savedTask)),
      m.global.set(G.CAPTURE, ir.get(l, savedCap)),
      m.global.set(G.CONTRACT, ir.get(l, savedContract)),
    ];
  });
}
