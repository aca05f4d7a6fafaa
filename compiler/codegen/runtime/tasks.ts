// Output routing, capture buffers, task records, panics and the module's exported entry
// points (__init, __main, __run_task). See compiler/abi.ts for the contract.

import binaryen from "binaryen";
import { CAPTURE_CHUNK_HEADER, CAPTURE_PANIC_FD, EXPORTS, LAYOUT, TASK, TaskFlags } from "../../abi.js";
import type { Gen } from "../context.js";
import { i32, none, MEM, TABLE } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC, FREE, REALLOC } from "./alloc.js";
import { G, H } from "./names.js";
import { STR } from "./strings.js";

export const RTT = {
  write: "rt_out_write",
  captureRaw: "rt_capture_raw",
  replay: "rt_replay_capture",
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

  // After joining `child`: pass its captured output on (to our capture, or chunk by chunk to
  // the host), then release the buffer.
  g.define(RTT.replay, [i32], none, (l) => {
    const t = 0;
    const p = l.add(i32);
    const n = l.add(i32);
    const i = l.add(i32);
    const len = l.add(i32);
    const fd = l.add(i32);
    const b = cap(t, l);
    return [
      ir.set(p, b.ptr()),
      ir.set(n, b.len()),
      // Captured joiner: pass the chunks on unchanged (a panic chunk travels with them).
      m.if(
        m.i32.and(m.i32.ne(ir.get(l, n), ir.c32(0)), m.i32.ne(m.global.get(G.CAPTURE, i32), ir.c32(0))),
        m.call(RTT.captureRaw, [m.global.get(G.CAPTURE, i32), ir.get(l, p), ir.get(l, n)], none),
      ),
      // Walk the chunks: write them out when uncaptured; a panic chunk is re-raised here.
      m.loop(
        "chunks",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.get(l, n)),
          m.block(null, [
            ir.set(len, m.i32.load(1, 1, m.i32.add(ir.get(l, p), ir.get(l, i)), MEM)),
            ir.set(fd, m.i32.load8_u(0, 1, m.i32.add(ir.get(l, p), ir.get(l, i)), MEM)),
            m.if(
              m.i32.eq(ir.get(l, fd), ir.c32(CAPTURE_PANIC_FD)),
              m.block(null, [
                m.call(H.panic, [m.i32.add(m.i32.add(ir.get(l, p), ir.get(l, i)), ir.c32(CAPTURE_CHUNK_HEADER)), ir.get(l, len)], none),
                m.unreachable(),
              ]),
            ),
            m.if(
              m.i32.eqz(m.global.get(G.CAPTURE, i32)),
              m.call(H.write, [ir.get(l, fd), m.i32.add(m.i32.add(ir.get(l, p), ir.get(l, i)), ir.c32(CAPTURE_CHUNK_HEADER)), ir.get(l, len)], none),
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
      // Publish the record before the host can see the pointer.
      m.i32.atomic.store(TASK.STATE, ir.get(l, t), ir.c32(0), MEM),
      m.return(ir.get(l, t)),
    ];
  });

  // rt_panic(prefix, msg): both String headers; formats the line and hands it to the host.
  g.define(RTT.panic, [i32, i32], none, (l) => {
    const s = l.add(i32);
    return [
      ir.set(s, m.call(STR.new, [ir.c32(128)], i32)),
      m.call(STR.pushStr, [ir.get(l, s), ir.get(l, 0)], none),
      m.call(STR.pushStr, [ir.get(l, s), ir.get(l, 1)], none),
      m.call("rt_raise", [ir.load32(ir.get(l, s), HDR.DATA), ir.load32(ir.get(l, s), HDR.LEN)], none),
      m.unreachable(),
    ];
  });

  // rt_raise(line, len): while output is captured, the panic line is recorded in the capture
  // (a CAPTURE_PANIC_FD chunk) so a joiner re-raises it after the output that precedes it.
  g.define("rt_raise", [i32, i32], none, (l) => {
    const at = l.add(i32);
    return [
      m.if(
        m.global.get(G.CAPTURE, i32),
        m.block(null, [
          ir.set(at, m.call("rt_capture_room", [m.global.get(G.CAPTURE, i32), m.i32.add(ir.get(l, 1), ir.c32(CAPTURE_CHUNK_HEADER))], i32)),
          m.i32.store8(0, 1, ir.get(l, at), ir.c32(CAPTURE_PANIC_FD), MEM),
          m.i32.store(1, 1, ir.get(l, at), ir.get(l, 1), MEM),
          m.memory.copy(m.i32.add(ir.get(l, at), ir.c32(CAPTURE_CHUNK_HEADER)), ir.get(l, 0), ir.get(l, 1), MEM, MEM),
        ]),
      ),
      m.call(H.panic, [ir.get(l, 0), ir.get(l, 1)], none),
      m.unreachable(),
    ];
  });

  g.define(EXPORTS.capturing, [], i32, () => [m.i32.ne(m.global.get(G.CAPTURE, i32), ir.c32(0))]);

  // Host calls that may run other tasks on this worker: the per-instance globals are restored
  // afterwards, so a task that failed and unwound inside the call cannot leave them stale.
  for (const [name, imp] of [
    ["rt_join", H.join],
    ["rt_run_inline", H.run_inline],
  ] as const) {
    g.define(name, [i32], none, (l) => {
      const [t, c] = [l.add(i32), l.add(i32)];
      return [
        ir.set(t, m.global.get(G.TASK, i32)),
        ir.set(c, m.global.get(G.CAPTURE, i32)),
        m.call(imp, [ir.get(l, 0)], none),
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
    return [
      ir.set(savedTask, m.global.get(G.TASK, i32)),
      ir.set(savedCap, m.global.get(G.CAPTURE, i32)),
      m.global.set(G.TASK, ir.get(l, t)),
      m.if(m.i32.and(ir.load32(ir.get(l, t), TASK.FLAGS), ir.c32(TaskFlags.Captured)), m.global.set(G.CAPTURE, ir.get(l, t))),
      m.call_indirect(TABLE, ir.load32(ir.get(l, t), TASK.FN), [ir.get(l, t)], binaryen.createType([i32]), none),
      m.global.set(G.TASK, ir.get(l, savedTask)),
      m.global.set(G.CAPTURE, ir.get(l, savedCap)),
    ];
  });
}
