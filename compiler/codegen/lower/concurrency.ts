// Lowering of explicit concurrency: `par` blocks, TaskGroup.spawn / spawn, TaskHandle.join,
// and Atomic[T] operations (all orderings map to sequentially consistent wasm atomics).

import type { TExpr, TFunction, Type } from "../../tir/nodes.js";
import { TASK, TaskFlags, TaskKind } from "../../abi.js";
import { i32, i64, MEM, none, type Ref } from "../ir.js";
import { ENUM_PAYLOAD } from "../layout.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import { RT } from "../runtime/memory.js";
import { G, H } from "../runtime/names.js";
import { groupRuntime } from "../runtime/groups.js";
import { RTT } from "../runtime/tasks.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { SCALAR_KINDS } from "./signature.js";

type ParExpr = Extract<TExpr, { kind: "par" }>;

/**
 * A par's control block (effects-concurrency §4.1-4.2): [cancel word][earliest failed branch
 * index, n when none][the enclosing task's cancel word or 0]. Each branch task's TASK.CANCEL
 * points at it; the host skips a task whose word is set before it starts.
 */
const CTL = { CANCEL: 0, EARLIEST: 4, PARENT: 8, SIZE: 12 } as const;

/**
 * rt_cancelled() -> i32: whether the current task's cancel word, or that of any enclosing par,
 * is set. Used at the cancellation points of par branches and task thunks.
 */
export function cancelledFn(fl: Lowerer): string {
  const { g } = fl;
  const { m, ir } = g;
  return g.define("rt_cancelled", [], i32, (l) => {
    const c = l.add(i32);
    return [
      m.if(m.i32.eqz(m.global.get(G.TASK, i32)), m.return(ir.c32(0))),
      ir.set(c, ir.load32(m.global.get(G.TASK, i32), TASK.CANCEL)),
      m.loop(
        "up",
        m.if(
          ir.get(l, c),
          m.block(null, [
            m.if(m.i32.atomic.load(0, ir.get(l, c), "mem"), m.return(ir.c32(1))),
            ir.set(c, ir.load32(ir.get(l, c), CTL.PARENT)),
            m.br("up"),
          ]),
        ),
      ),
      ir.c32(0),
    ];
  });
}

/** rt_par_fail(index): the current branch failed: cancel its siblings, record min(index). */
export function parFailFn(fl: Lowerer): string {
  const { g } = fl;
  const { m, ir } = g;
  return g.define("rt_par_fail", [i32], none, (l) => {
    const [k, c, old] = [0, l.add(i32), l.add(i32)];
    const at = () => m.i32.add(ir.get(l, c), ir.c32(CTL.EARLIEST));
    return [
      m.if(m.i32.eqz(m.global.get(G.TASK, i32)), m.return()),
      ir.set(c, ir.load32(m.global.get(G.TASK, i32), TASK.CANCEL)),
      m.if(m.i32.eqz(ir.get(l, c)), m.return()),
      m.i32.atomic.store(0, ir.get(l, c), ir.c32(1), "mem"),
      // Atomic unsigned min by compare-exchange (wasm has no rmw min).
      m.loop(
        "min",
        m.block(null, [
          ir.set(old, m.i32.atomic.load(0, at(), "mem")),
          m.if(m.i32.le_u(ir.get(l, old), ir.get(l, k)), m.return()),
          m.if(m.i32.ne(m.i32.atomic.rmw.cmpxchg(0, at(), ir.get(l, old), ir.get(l, k), "mem"), ir.get(l, old)), m.br("min")),
        ]),
      ),
    ];
  });
}

/** Table entry `(task) -> ()` running a lifted par branch with the task's environment. */
function branchTaskFn(fl: Lowerer, fn: TFunction): string {
  const g = fl.g;
  return g.define(`task:${g.fnSymbol(fn.id)}`, [i32], none, () => [
    g.m.call(g.fnSymbol(fn.id), [g.ir.load32(g.m.local.get(0, i32), TASK.ENV)], none),
  ]);
}

/** Table entry `(task) -> ()` running a thunk and storing its result at TASK.RESULT. */
function thunkTaskFn(fl: Lowerer, fn: TFunction): string {
  const g = fl.g;
  const w = g.layouts.wasm(fn.ret);
  return g.define(`task:${g.fnSymbol(fn.id)}`, [i32], none, () => {
    const env = () => g.ir.load32(g.m.local.get(0, i32), TASK.ENV);
    const call = g.m.call(g.fnSymbol(fn.id), [env()], w);
    return [w === none ? fl.stmtize(call) : g.ir.store(w, g.m.local.get(0, i32), call, TASK.RESULT)];
  });
}

/**
 * A `?` leaving a par branch (effects-concurrency §4.1): keep the Err/None for the enclosing
 * function, fail this branch (cancel siblings, record its index), run the branch's cleanup on the
 * error path — errdefers first, seeing the escaping value — and end the branch.
 */
export function lowerEscape(fl: Lowerer, value: TExpr, esc: { slot: number; index: number }, cleanup: (result: () => Ref) => Ref[]): Ref {
  const { m, ir } = fl;
  return m.block(null, [
    fl.writeLocal(esc.slot, fl.consume(value)),
    m.call(parFailFn(fl), [ir.c32(esc.index)], none),
    ...cleanup(() => fl.readLocal(esc.slot)),
    m.br("fn_exit"),
  ]);
}

/**
 * Reserves `count` consecutive `dbg` task numbers and gives the first (karac's rule: a source
 * `par` takes one per branch at its entry, so branch k is `first + k` however the branches are
 * scheduled; the numbers start at 1 and are shared by the whole run).
 */
function reserveDbgIds(fl: Lowerer, count: number): Ref {
  const { m, ir } = fl;
  return m.i32.add(m.i32.atomic.rmw.add(0, ir.c32(RT.DBG_TASK_IDS), ir.c32(count), MEM), ir.c32(1));
}

export function lowerPar(fl: Lowerer, e: ParExpr): Ref {
  const { m, ir, g } = fl;
  const out: Ref[] = [];
  let earliest = -1;
  // Only a `par` the program wrote numbers its branches for `dbg`; the branches of an automatic
  // rewrite keep the number of the code they were taken from (rt_task_new copies the creator's).
  const numbered = e.origin === undefined || e.origin === "explicit";
  const dbgBase = numbered ? fl.tmp(i32) : -1;
  if (numbered) out.push(ir.set(dbgBase, reserveDbgIds(fl, e.branches.length)));
  // Hoisted bindings start empty; the branch defining one writes it through its cell.
  for (const h of e.hoisted) out.push(fl.writeLocal(h, ir.zero(g.layouts.wasm(fl.fn.locals[h].type))));
  const escapes = e.branches.flatMap((b, k) => (b.escape ? [{ k, ...b.escape }] : []));
  for (const x of escapes) out.push(fl.writeLocal(x.local, ir.c32(0)));
  const n = e.branches.length;
  const failing = e.branches.some((b) => b.result) || escapes.length > 0;
  if (n === 1 && !failing) {
    const b = e.branches[0];
    const env = fl.tmp(i32);
    out.push(ir.set(env, fl.makeEnv(b.fn, b.captures)));
    if (numbered) {
      // The branch runs inline in the current task, which wears the branch's number meanwhile.
      const saved = fl.tmp(i32);
      const cur = () => m.global.get(G.TASK, i32);
      out.push(m.if(cur(), m.block(null, [ir.set(saved, ir.load32(cur(), TASK.DBG_ID)), ir.store32(cur(), ir.get(fl.locals, dbgBase), TASK.DBG_ID)])));
      out.push(m.call(g.fnSymbol(b.fn), [ir.get(fl.locals, env)], none));
      out.push(m.if(cur(), ir.store32(cur(), ir.get(fl.locals, saved), TASK.DBG_ID)));
    } else {
      out.push(m.call(g.fnSymbol(b.fn), [ir.get(fl.locals, env)], none));
    }
    out.push(m.call(FREE, [ir.get(fl.locals, env)], none));
  } else if (n >= 1) {
    // Control block, linked to the enclosing task's so cancellation reaches nested pars.
    const ctl = fl.tmp(i32);
    const C = () => ir.get(fl.locals, ctl);
    out.push(
      ir.set(ctl, m.call(ALLOC, [ir.c32(CTL.SIZE)], i32)),
      ir.store32(C(), ir.c32(0), CTL.CANCEL),
      ir.store32(C(), ir.c32(n), CTL.EARLIEST),
      // Only a par written in a cancellable body inherits cancellation: that body stops right
      // after the join, so nothing reads the bindings a cancelled branch left unwritten.
      ir.store32(C(), fl.cancellable ? m.if(m.global.get(G.TASK, i32), ir.load32(m.global.get(G.TASK, i32), TASK.CANCEL), ir.c32(0)) : ir.c32(0), CTL.PARENT),
    );
    const tasks = e.branches.map((b, k) => {
      const t = fl.tmp(i32);
      const fn = g.program.functions[b.fn];
      out.push(
        ir.set(
          t,
          m.call(
            RTT.taskNew,
            [
              ir.c32(g.slot(branchTaskFn(fl, fn))),
              fl.makeEnv(b.fn, b.captures),
              ir.c32(e.origin === "auto" ? TaskKind.AutoParBranch : e.origin === "reduce" ? TaskKind.ReduceChunk : TaskKind.ParBranch),
              ir.c32(b.span.line),
              ir.c32(k === 0 ? 0 : TaskFlags.Captured),
            ],
            i32,
          ),
        ),
      );
      out.push(ir.store32(ir.get(fl.locals, t), C(), TASK.CANCEL));
      if (numbered) out.push(ir.store32(ir.get(fl.locals, t), m.i32.add(ir.get(fl.locals, dbgBase), ir.c32(k)), TASK.DBG_ID));
      return t;
    });
    const T = (k: number) => ir.get(fl.locals, tasks[k]);
    // Forked last to first: the forking worker pops its deque from the bottom, so when it helps
    // at the joins it runs the branches in source order (thieves take from the top, the last
    // branches). On one worker a par then behaves like the sequential program, failures included.
    for (let k = n - 1; k >= 1; k--) out.push(m.call(H.fork, [T(k)], none));
    out.push(m.call("rt_run_inline", [T(0)], none));
    // Join every branch and pass its output on in source order; only then does a panic surface:
    // that of the source-order-earliest branch that panicked (a panic sets the cancel word, so
    // the siblings have stopped and run their cleanup by now).
    for (let k = 1; k < n; k++) {
      out.push(m.call("rt_join", [T(k)], none), m.call(RTT.replayOutput, [T(k)], none));
    }
    for (let k = 0; k < n; k++) out.push(m.call(RTT.reraise, [T(k)], none));
    for (let k = 0; k < n; k++) {
      out.push(m.call(FREE, [ir.load32(T(k), TASK.CAPTURE_PTR)], none), m.call(FREE, [ir.load32(T(k), TASK.ENV)], none), m.call(FREE, [T(k)], none));
    }
    const valued = e.branches.some((b) => b.result?.isValue);
    if (valued || escapes.length) {
      earliest = fl.tmp(i32);
      out.push(ir.set(earliest, ir.load32(C(), CTL.EARLIEST)));
    }
    out.push(m.call(FREE, [C()], none));
    if (escapes.length) {
      // A `?` escaped from the source-order-earliest failed branch: the enclosing body leaves
      // with it (its own cleanup on the error path). Values escaped by later branches are dropped.
      const E = () => ir.get(fl.locals, earliest);
      for (const x of escapes) out.push(m.if(m.i32.ne(E(), ir.c32(x.k)), fl.dropLocal(x.local)));
      for (const x of escapes) out.push(m.if(m.i32.and(m.i32.eq(E(), ir.c32(x.k)), m.i32.ne(fl.readLocal(x.local), ir.c32(0))), fl.stmtize(fl.expr(x.exit))));
    }
    // A par inside a cancelled branch: after its join the branch itself stops (§4.2).
    out.push(fl.cancelPoint());
  }
  const w = g.layouts.wasm(e.type);
  if (earliest >= 0 && w !== none) {
    // The par's value: the Err of the source-order-earliest failed branch (moved out of its
    // hoisted binding), else the join expression (§4.1).
    let v: Ref = e.tail ? fl.consume(e.tail) : m.unreachable();
    for (let k = e.branches.length - 1; k >= 0; k--) {
      const r = e.branches[k].result;
      if (!r?.isValue) continue;
      const t = fl.tmp(w);
      const take = m.block(null, [ir.set(t, fl.readLocal(r.hoisted)), fl.writeLocal(r.hoisted, ir.zero(w)), ir.get(fl.locals, t)], w);
      v = m.if(m.i32.eq(ir.get(fl.locals, earliest), ir.c32(k)), take, v);
    }
    out.push(v);
  } else if (e.tail) {
    const v = fl.consume(e.tail);
    if (w === none) out.push(fl.stmtize(v));
    else out.push(v);
  }
  return m.block(null, out, e.tail && w !== none ? w : none);
}

/** spawn(|| e) / group.spawn(|| e): a captured task whose handle is the task pointer. */
export function lowerSpawn(fl: Lowerer, thunk: TExpr, group: Ref | undefined, span: { line: number }, detached = false): Ref {
  const { m, ir, g } = fl;
  if (thunk.kind !== "closure") throw new CodegenError("spawn needs a closure literal", thunk.span);
  const fn = g.program.functions[thunk.fn];
  const t = fl.tmp(i32);
  return m.block(
    null,
    [
      ir.set(
        t,
        m.call(
          RTT.taskNew,
          [
            ir.c32(g.slot(thunkTaskFn(fl, fn))),
            fl.makeEnv(thunk.fn, thunk.captures),
            ir.c32(TaskKind.Spawn),
            ir.c32(span.line),
            // A discarded handle is never joined: the task runs on its own and prints directly.
            ir.c32(detached ? TaskFlags.Detached : TaskFlags.Captured),
          ],
          i32,
        ),
      ),
      group ? ir.store32(ir.get(fl.locals, t), group, TASK.GROUP) : m.nop(),
      // A spawned task takes the next `dbg` number when it is spawned (source order within its spawner).
      ir.store32(ir.get(fl.locals, t), reserveDbgIds(fl, 1), TASK.DBG_ID),
      // The group joins its children at scope exit and releases their records.
      group ? m.call(groupRuntime(g).add, [ir.load32(ir.get(fl.locals, t), TASK.GROUP), ir.get(fl.locals, t)], none) : m.nop(),
      // Cancellable only when its result is a plain scalar: a skipped or stopped task leaves
      // TASK.RESULT zero, which must not be read as a pointer.
      group && SCALAR_KINDS.has(fn.ret.kind) ? ir.store32(ir.get(fl.locals, t), ir.load32(ir.get(fl.locals, t), TASK.GROUP), TASK.CANCEL) : m.nop(),
      m.call(H.fork, [ir.get(fl.locals, t)], none),
      ir.get(fl.locals, t),
    ],
    i32,
  );
}

/**
 * handle.join(): wait, replay the child's output, take the result. A free `spawn`'s record is
 * released here; a group child's stays with its group, which releases it at scope exit. Once
 * the group is cancelled (a child panicked), its siblings are waited for and their output passed
 * on before the panic surfaces here (rt_group_check).
 */
export function lowerJoin(fl: Lowerer, handle: Ref, result: Type): Ref {
  const { m, ir, g } = fl;
  const t = fl.tmp(i32);
  const w = g.layouts.wasm(result);
  const r = w === none ? -1 : fl.tmp(w);
  const T = () => ir.get(fl.locals, t);
  const grp = () => ir.load32(T(), TASK.GROUP);
  return m.block(
    null,
    [
      ir.set(t, handle),
      m.call("rt_join", [T()], none),
      m.call(RTT.replayOutput, [T()], none),
      m.if(grp(), m.call(groupRuntime(g).check, [grp()], none)),
      m.call(RTT.reraise, [T()], none),
      r >= 0 ? ir.set(r, ir.load(w, T(), TASK.RESULT)) : m.nop(),
      m.if(
        m.i32.eqz(grp()),
        m.block(null, [m.call(FREE, [ir.load32(T(), TASK.ENV)], none), m.call(FREE, [T()], none)]),
      ),
      r >= 0 ? ir.get(fl.locals, r) : m.nop(),
    ],
    w,
  );
}

// ---------------------------------------------------------------- atomics

function cellBits(t: Type): 8 | 16 | 32 | 64 {
  if (t.kind === "int") return t.bits;
  return 32;
}

/** Normalise a value loaded from a narrow atomic cell (zero-extended by the wasm op). */
function fromCell(fl: Lowerer, t: Type, v: Ref): Ref {
  const { m } = fl;
  if (t.kind === "int" && t.signed && t.bits < 32) return t.bits === 8 ? m.i32.extend8_s(v) : m.i32.extend16_s(v);
  return v;
}

export function atomicNew(fl: Lowerer, t: Type, v: Ref): Ref {
  const { m, ir } = fl;
  const c = fl.tmp(i32);
  const w = fl.L.wasm(t);
  return m.block(
    null,
    [ir.set(c, m.call(ALLOC, [ir.c32(8)], i32)), ir.store64(ir.get(fl.locals, c), ir.c64(0)), ir.store(w, ir.get(fl.locals, c), v), ir.get(fl.locals, c)],
    i32,
  );
}

/** Every ordering maps to a sequentially consistent wasm atomic (at least as strong). */
export function atomicOp(fl: Lowerer, op: string, t: Type, cell: Ref, args: Ref[], resultType: Type): Ref {
  const { m, ir, g } = fl;
  const bits = cellBits(t);
  const A = bits === 64 ? m.i64.atomic : m.i32.atomic;
  const rmwName = bits === 64 || bits === 32 ? "rmw" : bits === 16 ? "rmw16_u" : "rmw8_u";
  const rmw = (A as unknown as Record<string, Record<string, (o: number, p: Ref, v: Ref, n?: string) => Ref>>)[rmwName];
  switch (op) {
    case "atomic.load": {
      const v = bits === 64 ? m.i64.atomic.load(0, cell, "mem") : bits === 32 ? m.i32.atomic.load(0, cell, "mem") : bits === 16 ? m.i32.atomic.load16_u(0, cell, "mem") : m.i32.atomic.load8_u(0, cell, "mem");
      return fromCell(fl, t, v);
    }
    case "atomic.store":
      return bits === 64
        ? m.i64.atomic.store(0, cell, args[0], "mem")
        : bits === 32
          ? m.i32.atomic.store(0, cell, args[0], "mem")
          : bits === 16
            ? m.i32.atomic.store16(0, cell, args[0], "mem")
            : m.i32.atomic.store8(0, cell, args[0], "mem");
    case "atomic.fetch_add":
    case "atomic.fetch_sub":
    case "atomic.fetch_and":
    case "atomic.fetch_or":
    case "atomic.fetch_xor":
    case "atomic.swap": {
      const name = { "atomic.fetch_add": "add", "atomic.fetch_sub": "sub", "atomic.fetch_and": "and", "atomic.fetch_or": "or", "atomic.fetch_xor": "xor", "atomic.swap": "xchg" }[op]!;
      return fromCell(fl, t, rmw[name](0, cell, args[0], "mem"));
    }
    case "atomic.compare_exchange": {
      // Result[T, T]: Ok(previous) on success, Err(actual) on failure.
      if (resultType.kind !== "enum") throw new CodegenError("compare_exchange must produce a Result");
      const cmpx = (rmw as unknown as Record<string, (o: number, p: Ref, e: Ref, r: Ref, n?: string) => Ref>).cmpxchg;
      const w = bits === 64 ? i64 : i32;
      const exp = fl.tmp(w);
      const got = fl.tmp(w);
      const res = fl.tmp(i32);
      const def = g.layouts.enumDef(resultType.name);
      const ok = def.variants.findIndex((v) => v.name === "Ok");
      const err = def.variants.findIndex((v) => v.name === "Err");
      const lay = g.layouts.variantLayouts(resultType.name)[ok];
      const off = lay.fields[0]?.offset ?? ENUM_PAYLOAD;
      const eq = bits === 64 ? m.i64.eq(ir.get(fl.locals, got), ir.get(fl.locals, exp)) : m.i32.eq(ir.get(fl.locals, got), ir.get(fl.locals, exp));
      return m.block(
        null,
        [
          ir.set(exp, args[0]),
          ir.set(got, fromCell(fl, t, cmpx(0, cell, ir.get(fl.locals, exp), args[1], "mem"))),
          ir.set(res, m.call(ALLOC, [ir.c32(g.layouts.enumBlockSize(resultType.name))], i32)),
          ir.store32(ir.get(fl.locals, res), m.select(eq, ir.c32(ok), ir.c32(err))),
          ir.store(w, ir.get(fl.locals, res), ir.get(fl.locals, got), off),
          ir.get(fl.locals, res),
        ],
        i32,
      );
    }
  }
  throw new CodegenError(`unsupported atomic operation ${op}`);
}
