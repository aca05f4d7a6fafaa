// Provider-rooted resources at run time. Each task record holds the top of its provider stack
// (abi.ts TASK.PROVIDERS), a list of PROVIDER_FRAMEs in linear memory; rt_task_new copies the
// creator's top into a new task, so every task created inside a provider scope sees its providers.
//  - A provider scope pushes one frame per provider (resource index, dispatch tag, address of the
//    local holding the provider) and, on every way out, frees them and restores the saved top.
//  - `R.m(args)` evaluates its arguments, finds the topmost frame for R (none: panic with karac's
//    message), and calls the impl method of the frame's provider type, selected by its tag.
//  - Output routed through Stdout / Stderr passes the formatted String; with no provider bound
//    it is written to the stream instead.

import { PROVIDER_FRAME, TASK } from "../../abi.js";
import type { TExpr, TProviderBinding } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, none, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import { STR } from "../runtime/strings.js";
import { RTT } from "../runtime/tasks.js";
import { G } from "../runtime/names.js";
import { mutrefArg } from "./calls.js";
import type { Lowerer } from "./lowerer.js";

const RT = {
  lookup: "rt_provider_lookup",
  push: "rt_provider_push",
  pop: "rt_provider_pop",
} as const;

/** The runtime helpers, defined once per module. */
function runtime(g: Gen): typeof RT {
  const { m, ir } = g;
  const task = (): Ref => m.global.get(G.TASK, i32);
  const top = (): Ref => m.if(task(), ir.load32(task(), TASK.PROVIDERS), ir.c32(0));
  // rt_provider_lookup(resource) -> the topmost frame binding it, or 0.
  g.define(RT.lookup, [i32], i32, (l) => {
    const f = l.add(i32);
    return [
      ir.set(f, top()),
      m.loop(
        "scan",
        m.if(
          ir.get(l, f),
          m.block(null, [
            m.if(m.i32.eq(ir.load32(ir.get(l, f), PROVIDER_FRAME.RESOURCE), ir.get(l, 0)), m.return(ir.get(l, f))),
            ir.set(f, ir.load32(ir.get(l, f), PROVIDER_FRAME.NEXT)),
            m.br("scan"),
          ]),
        ),
      ),
      m.return(ir.c32(0)),
    ];
  });
  // rt_provider_push(resource, tag, cell): a new top frame for the current task.
  g.define(RT.push, [i32, i32, i32], none, (l) => {
    const f = l.add(i32);
    return [
      m.if(m.i32.eqz(task()), m.return()),
      ir.set(f, m.call(ALLOC, [ir.c32(PROVIDER_FRAME.SIZE)], i32)),
      ir.store32(ir.get(l, f), ir.get(l, 0), PROVIDER_FRAME.RESOURCE),
      ir.store32(ir.get(l, f), ir.get(l, 1), PROVIDER_FRAME.TAG),
      ir.store32(ir.get(l, f), ir.get(l, 2), PROVIDER_FRAME.CELL),
      ir.store32(ir.get(l, f), ir.load32(task(), TASK.PROVIDERS), PROVIDER_FRAME.NEXT),
      ir.store32(task(), ir.get(l, f), TASK.PROVIDERS),
    ];
  });
  // rt_provider_pop(saved, count): free the scope's `count` frames, make `saved` the top again.
  g.define(RT.pop, [i32, i32], none, (l) => {
    const f = l.add(i32);
    return [
      m.if(m.i32.eqz(task()), m.return()),
      m.block("done", [
        m.loop(
          "free",
          m.if(
            m.i32.gt_s(ir.get(l, 1), ir.c32(0)),
            m.block(null, [
              ir.set(f, ir.load32(task(), TASK.PROVIDERS)),
              m.br("done", m.i32.eqz(ir.get(l, f))),
              ir.store32(task(), ir.load32(ir.get(l, f), PROVIDER_FRAME.NEXT), TASK.PROVIDERS),
              m.call(FREE, [ir.get(l, f)], none),
              ir.set(1, m.i32.sub(ir.get(l, 1), ir.c32(1))),
              m.br("free"),
            ]),
          ),
        ),
      ]),
      ir.store32(task(), ir.get(l, 0), TASK.PROVIDERS),
    ];
  });
  return RT;
}

/** The current top of the provider stack, saved before a scope pushes its frames. */
export function providerTop(fl: Lowerer): Ref {
  const { m, ir } = fl;
  const task = (): Ref => m.global.get(G.TASK, i32);
  return m.if(task(), ir.load32(task(), TASK.PROVIDERS), ir.c32(0));
}

/** Push the scope's providers, first listed outermost. */
export function pushProviders(fl: Lowerer, bindings: TProviderBinding[]): Ref[] {
  const rt = runtime(fl.g);
  return bindings.map((b) => fl.m.call(rt.push, [fl.ir.c32(b.rid), fl.ir.c32(b.tag), fl.localAddr(b.local)], none));
}

/** Leaving a scope: free its frames and restore the top saved in local `saved`. */
export function popProviders(fl: Lowerer, saved: number, count: number): Ref {
  return fl.m.call(runtime(fl.g).pop, [fl.ir.get(fl.locals, saved), fl.ir.c32(count)], none);
}

/** `R.m(args)`: arguments first, then the lookup, then the call selected by the frame's tag. */
export function lowerProviderCall(fl: Lowerer, e: TExpr & { kind: "providerCall" }): Ref {
  const { m, ir, L, g } = fl;
  const rt = runtime(g);
  const rw = L.wasm(e.type);
  const pre: Ref[] = [];
  const post: Ref[] = [];
  // Each argument is evaluated once into a temporary shared by every dispatch case.
  const first = e.cases.length ? g.program.functions[e.cases[0]] : undefined;
  const argTemps: { local: number; w: number }[] = [];
  e.args.forEach((a, k) => {
    const p = first?.params[k + 1];
    let v: Ref;
    if (a.mode === "mutref") v = mutrefArg(fl, a.place, post);
    // A stream's text is owned by the call: the provider takes it, or it is freed once written.
    else if (e.output || (p && p.mode === "owned" && !L.boxedCopy(p.type))) v = fl.consume(a.value);
    else v = fl.borrow(a.value);
    const w = a.mode === "mutref" ? i32 : L.wasm(a.value.type);
    if (w === none) {
      pre.push(fl.stmtize(v));
      return;
    }
    const t = fl.tmp(w);
    pre.push(ir.set(t, v));
    argTemps.push({ local: t, w });
  });
  const frame = fl.tmp(i32);
  pre.push(ir.set(frame, m.call(rt.lookup, [ir.c32(e.rid)], i32)));
  const unbound = m.i32.eqz(ir.get(fl.locals, frame));
  if (!e.output) {
    pre.push(m.if(unbound, fl.panic(e.span, `no provider bound for resource '${e.resource}'; call \`with_provider[${e.resource}](..., || { ... })\` to scope one`)));
  }
  const cell = (): Ref => ir.load32(ir.get(fl.locals, frame), PROVIDER_FRAME.CELL);
  const tag = (): Ref => ir.load32(ir.get(fl.locals, frame), PROVIDER_FRAME.TAG);
  const res = rw === none ? -1 : fl.tmp(rw);
  // One direct call per provider type; the last case needs no test (tags are dense).
  let dispatch: Ref = m.unreachable();
  for (let k = e.cases.length - 1; k >= 0; k--) {
    const callee = g.program.functions[e.cases[k]];
    const selfType = callee.params[0]?.type;
    // The impl method's own receiver (a stream's providers may each take self differently).
    const mode = callee.params[0]?.mode ?? "mutref";
    let self: Ref;
    if (mode === "mutref" || !selfType) self = cell();
    else {
      const value = ir.load(L.wasm(selfType), cell());
      self = mode === "owned" ? fl.copyValue(selfType, value) : value;
    }
    const ops = [self, ...argTemps.map((t) => ir.get(fl.locals, t.local))];
    const c = m.call(g.fnSymbol(callee.id), ops, L.wasm(callee.ret));
    const stmt = res >= 0 && callee.ret.kind !== "never" ? ir.set(res, c) : fl.stmtize(c);
    dispatch = k === e.cases.length - 1 ? stmt : m.if(m.i32.eq(tag(), ir.c32(k)), stmt, dispatch);
  }
  // A standard stream without a provider: write the formatted text, then free it.
  if (e.output) dispatch = m.if(unbound, writeText(fl, e.output, argTemps[0].local), dispatch);
  const out: Ref[] = [...pre, dispatch, ...post];
  if (e.type.kind === "never") return m.block(null, [...out, m.unreachable()]);
  if (res >= 0) out.push(ir.get(fl.locals, res));
  return m.block(null, out, rw === none ? none : rw);
}

/** Write the String in local `text` (and a newline) to the stream's descriptor, and free it. */
function writeText(fl: Lowerer, output: { fd: 1 | 2; newline: boolean }, text: number): Ref {
  const { m, ir, g } = fl;
  const S = (): Ref => ir.get(fl.locals, text);
  const nl = g.bytes("\n");
  return m.block(null, [
    m.call(RTT.write, [ir.c32(output.fd), ir.load32(S(), HDR.DATA), ir.load32(S(), HDR.LEN)], none),
    output.newline ? m.call(RTT.write, [ir.c32(output.fd), ir.c32(nl.ptr), ir.c32(nl.len)], none) : m.nop(),
    m.call(STR.free, [S()], none),
  ]);
}
