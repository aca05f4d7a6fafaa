// TaskGroup records and their children (effects-concurrency §3.6): a group remembers every task
// spawned into it, so leaving the group's scope joins the children not joined yet, and a child's
// panic can wait for its siblings' cleanup before surfacing.

import { TASK } from "../../abi.js";
import type { Gen } from "../context.js";
import { i32, none } from "../ir.js";
import { ALLOC, FREE, REALLOC } from "./alloc.js";
import { RTT } from "./tasks.js";

/**
 * Group record. CANCEL is the word its tasks observe (TASK.CANCEL); PARENT the enclosing task's
 * cancel word, at the same offset as a par control block's, so cancellation reaches nested groups.
 * LIST/LEN/CAP: the children, in spawn order. The group is used by its owner task only.
 */
export const GROUP = { CANCEL: 0, LIST: 4, PARENT: 8, LEN: 12, CAP: 16, SIZE: 24 } as const;

export const GRT = {
  create: "rt_group_new",
  add: "rt_group_add",
  settle: "rt_group_settle",
  check: "rt_group_check",
  end: "rt_group_end",
} as const;

/** Define the group runtime on first use; returns its function names. */
export function groupRuntime(g: Gen): typeof GRT {
  const { m, ir } = g;
  const field = (l: Parameters<typeof ir.get>[0], p: number, off: number) => ir.load32(ir.get(l, p), off);

  // rt_group_new(parent_cancel) -> group
  g.define(GRT.create, [i32], i32, (l) => {
    const p = l.add(i32);
    return [
      ir.set(p, m.call(ALLOC, [ir.c32(GROUP.SIZE)], i32)),
      m.memory.fill(ir.get(l, p), ir.c32(0), ir.c32(GROUP.SIZE), "mem"),
      ir.store32(ir.get(l, p), ir.get(l, 0), GROUP.PARENT),
      ir.get(l, p),
    ];
  });

  // rt_group_add(group, task): append to the children.
  g.define(GRT.add, [i32, i32], none, (l) => {
    const [grp, task] = [0, 1];
    const c = l.add(i32);
    return [
      m.if(
        m.i32.ge_u(field(l, grp, GROUP.LEN), field(l, grp, GROUP.CAP)),
        m.block(null, [
          ir.set(c, m.select(field(l, grp, GROUP.CAP), m.i32.shl(field(l, grp, GROUP.CAP), ir.c32(1)), ir.c32(8))),
          ir.store32(ir.get(l, grp), m.call(REALLOC, [field(l, grp, GROUP.LIST), m.i32.shl(ir.get(l, c), ir.c32(2))], i32), GROUP.LIST),
          ir.store32(ir.get(l, grp), ir.get(l, c), GROUP.CAP),
        ]),
      ),
      ir.store32(m.i32.add(field(l, grp, GROUP.LIST), m.i32.shl(field(l, grp, GROUP.LEN), ir.c32(2))), ir.get(l, task)),
      ir.store32(ir.get(l, grp), m.i32.add(field(l, grp, GROUP.LEN), ir.c32(1)), GROUP.LEN),
    ];
  });

  const eachChild = (l: Parameters<typeof ir.get>[0], grp: number, label: string, body: (t: () => number) => number[]) => {
    const i = l.add(i32);
    const t = l.add(i32);
    return m.block(null, [
      ir.set(i, ir.c32(0)),
      m.loop(
        label,
        m.if(
          m.i32.lt_u(ir.get(l, i), field(l, grp, GROUP.LEN)),
          m.block(null, [
            ir.set(t, ir.load32(m.i32.add(field(l, grp, GROUP.LIST), m.i32.shl(ir.get(l, i), ir.c32(2))))),
            ...body(() => ir.get(l, t)),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br(label),
          ]),
        ),
      ),
    ]);
  };

  // rt_group_settle(group): wait for every child, passing its output on in spawn order.
  g.define(GRT.settle, [i32], none, (l) => [
    eachChild(l, 0, "settle", (t) => [m.call("rt_join", [t()], none), m.call(RTT.replayOutput, [t()], none)]),
  ]);

  // rt_group_check(group): at an explicit join. Once the group is cancelled (by cancel() or by a
  // child's panic), its children are waited for, their output passed on in spawn order, and the
  // panic of the first child (spawn order) that failed surfaces here: a join must not hand out
  // the value of a sibling the panic cancelled.
  g.define(GRT.check, [i32], none, (l) => [
    m.if(m.i32.eqz(m.i32.atomic.load(0, ir.get(l, 0), "mem")), m.return()),
    m.call(GRT.settle, [ir.get(l, 0)], none),
    eachChild(l, 0, "raise", (t) => [m.call(RTT.reraise, [t()], none)]),
  ]);

  // rt_group_end(group): scope exit. Join the children not joined yet, surface the panic of the
  // first one (spawn order) that failed, release every child. Idempotent: the group is left empty.
  g.define(GRT.end, [i32], none, (l) => [
    m.if(m.i32.eqz(ir.get(l, 0)), m.return()),
    m.call(GRT.settle, [ir.get(l, 0)], none),
    eachChild(l, 0, "raise", (t) => [m.call(RTT.reraise, [t()], none)]),
    eachChild(l, 0, "release", (t) => [
      m.call(FREE, [ir.load32(t(), TASK.CAPTURE_PTR)], none),
      m.call(FREE, [ir.load32(t(), TASK.ENV)], none),
      m.call(FREE, [t()], none),
    ]),
    m.call(FREE, [field(l, 0, GROUP.LIST)], none),
    ir.store32(ir.get(l, 0), ir.c32(0), GROUP.LIST),
    ir.store32(ir.get(l, 0), ir.c32(0), GROUP.LEN),
    ir.store32(ir.get(l, 0), ir.c32(0), GROUP.CAP),
  ]);
  return GRT;
}
