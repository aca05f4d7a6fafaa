// `it.chunk_by(key)` (karac's Iterator surface): the runs of consecutive items whose keys are
// equal, each a Vec. The pipeline collects the items so far into `$m` (pipeline.ts), then:
//   let $keys = Vec.new(); let $runs = Vec.new();
//   for $i in 0..$m.len() {
//     $keys.push(key($m[$i]));
//     if $i == 0 or $keys[$i] != $keys[$i - 1] { $runs.push(Vec.new()) }
//     $runs[$runs.len() - 1].push($m[$i]);
//   }
// and the pipeline continues over `$runs`. Keeping every key avoids a "previous key" that would
// have no value before the first item.

import type { Span } from "../syntax/ast.js";
import type { BuiltinOp, LocalId, TBlock, TExpr, TPattern, TPlace, TStmt } from "../tir/nodes.js";
import { asType } from "./builder.js";
import { type CheckContext, mk, ownMarker } from "./context.js";
import { BOOL, I64, UNIT, type Ty } from "./types.js";

/** The statements that build the runs of `items` (a local Vec[T]) and a read of the result. */
export function chunkByRuns(cx: CheckContext, items: LocalId, elem: Ty, keyFn: LocalId, keyTy: Ty, span: Span): { stmts: TStmt[]; runs: TExpr } {
  const vt: Ty = { kind: "vec", elem };
  const runsTy: Ty = { kind: "vec", elem: vt };
  const keysTy: Ty = { kind: "vec", elem: keyTy };
  const temp = (name: string, ty: Ty): LocalId => {
    const id = cx.b.newLocal(name, ty, "temp", true, "owned", span);
    cx.b.declare(name, id);
    return id;
  };
  const local = (id: LocalId, ty: Ty): TPlace => ({ kind: "local", local: id, type: asType(ty), span });
  const read = (p: TPlace, ty: Ty): TExpr => mk({ kind: "read", place: p }, ty, span);
  const int = (v: bigint): TExpr => mk({ kind: "int", value: v }, I64, span);
  const bin = (op: "==" | "!=" | "-", l: TExpr, r: TExpr, operand: Ty, ty: Ty): TExpr => mk({ kind: "binary", op, left: l, right: r, operand: asType(operand) }, ty, span);
  const call = (op: BuiltinOp, recv: TPlace | undefined, value: TExpr | undefined, args: TExpr[], ty: Ty, typeArgs: Ty[]): TExpr =>
    mk({ kind: "builtin", op, ...(recv ? { receiver: { kind: "place", place: recv } } : value ? { receiver: { kind: "value", value } } : {}), args, typeArgs: typeArgs.map(asType) }, ty, span);
  const stmt = (expr: TExpr): TStmt => ({ kind: "expr", expr, span });
  const block = (stmts: TStmt[]): TBlock => ({ kind: "block", stmts, drops: [], type: asType(UNIT), span });
  const at = (vec: LocalId, vecTy: Ty, index: TExpr, ty: Ty): TPlace => ({ kind: "index", base: local(vec, vecTy), index, coll: "vec", type: asType(ty), span }) as TPlace;

  const keys = temp("$keys", keysTy);
  const runs = temp("$runs", runsTy);
  const i = cx.b.newLocal("$i", I64, "let", false, "owned", span);
  const iRead = (): TExpr => read(local(i, I64), I64);
  const item = (): TExpr => ownMarker(read(at(items, vt, iRead(), elem), elem), true, elem, span);
  const key = mk({ kind: "callValue", callee: read(local(keyFn, { kind: "fn", params: [elem], ret: keyTy }), { kind: "fn", params: [elem], ret: keyTy }), args: [item()] }, keyTy, span);
  const newRun = bin("!=", read(at(keys, keysTy, iRead(), keyTy), keyTy), read(at(keys, keysTy, bin("-", iRead(), int(1n), I64, I64), keyTy), keyTy), keyTy, BOOL);
  const first = bin("==", iRead(), int(0n), I64, BOOL);
  const open = mk({ kind: "if", cond: mk({ kind: "logical", op: "or", left: first, right: newRun }, BOOL, span), then: block([stmt(call("vec.push", local(runs, runsTy), undefined, [call("vec.new", undefined, undefined, [], vt, [elem])], UNIT, [vt]))]) }, UNIT, span);
  const last = bin("-", call("vec.len", undefined, read(local(runs, runsTy), runsTy), [], I64, [vt]), int(1n), I64, I64);
  const body = block([
    stmt(call("vec.push", local(keys, keysTy), undefined, [key], UNIT, [keyTy])),
    stmt(open),
    stmt(call("vec.push", at(runs, runsTy, last, vt), undefined, [item()], UNIT, [elem])),
  ]);
  const len = call("vec.len", undefined, read(local(items, vt), vt), [], I64, [elem]);
  const loop = mk({ kind: "for", loopId: cx.b.newLoopId(), iter: { kind: "range", variable: { kind: "bind", local: i, type: asType(I64), span } as TPattern, lo: int(0n), hi: len, inclusive: false, elem: asType(I64), reverse: false }, body }, UNIT, span);
  const stmts: TStmt[] = [
    { kind: "let", pattern: { kind: "bind", local: keys, type: asType(keysTy), span } as TPattern, init: call("vec.new", undefined, undefined, [], keysTy, [keyTy]), span },
    { kind: "let", pattern: { kind: "bind", local: runs, type: asType(runsTy), span } as TPattern, init: call("vec.new", undefined, undefined, [], runsTy, [vt]), span },
    stmt(loop),
  ];
  return { stmts, runs: read(local(runs, runsTy), runsTy) };
}
