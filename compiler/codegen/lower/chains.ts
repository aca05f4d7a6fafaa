// Long left-deep operator chains (`a + b + c + …`, `p and q or r …`): lowered by a loop into a
// flat sequence of statements that keeps the running value in an accumulator local. A nested
// lowering would recurse once per operator, both here and inside Binaryen's validator and
// optimiser, and overflow the stack on a few thousand terms.

import binaryen from "binaryen";
import type { TExpr, Type } from "../../tir/nodes.js";
import type { Ref, WType } from "../ir.js";
import type { Lowerer } from "./lowerer.js";
import { binary } from "./operators.js";

/** Chains at most this long keep the ordinary nested lowering. */
export const FLAT_CHAIN_MIN = 32;

type ChainNode = TExpr & ({ kind: "binary" } | { kind: "logical" });

const isChainNode = (e: TExpr): e is ChainNode => e.kind === "binary" || e.kind === "logical";

/**
 * The operator nodes along e's left spine, innermost first, when there are more than
 * FLAT_CHAIN_MIN of them and none diverges; otherwise undefined.
 */
export function longChain(e: TExpr): ChainNode[] | undefined {
  const spine: ChainNode[] = [];
  for (let n: TExpr = e; isChainNode(n); n = n.left) {
    if (n.type.kind === "never") return undefined;
    spine.push(n);
  }
  return spine.length > FLAT_CHAIN_MIN ? spine.reverse() : undefined;
}

/** The running value: the local holding it, its type, and whether it is a fresh value to drop. */
interface Acc {
  local: number;
  type: Type;
  fresh: boolean;
}

/** Lower a chain found by longChain, evaluating operands left to right as the nested form does. */
export function lowerChain(fl: Lowerer, spine: ChainNode[]): Ref {
  const { m, ir, L } = fl;
  // Two locals per wasm type: a step reads one and writes the other, so a fresh left value can
  // still be dropped after the step has used it.
  const pool = new Map<WType, [number, number]>();
  const slot = (w: WType, avoid?: number): number => {
    let pair = pool.get(w);
    if (!pair) pool.set(w, (pair = [fl.tmp(w), fl.tmp(w)]));
    return pair[0] === avoid ? pair[1] : pair[0];
  };
  const get = (a: Acc): Ref => ir.get(fl.locals, a.local);
  const op = scratchLowerer(fl);

  const leaf = spine[0].left;
  const out: Ref[] = [];
  let acc: Acc = { local: slot(L.wasm(leaf.type)), type: leaf.type, fresh: false };
  if (leaf.kind === "string") out.push(ir.set(acc.local, fl.borrow(leaf)));
  else {
    out.push(ir.set(acc.local, fl.expr(leaf)));
    acc.fresh = !fl.isBorrowed(leaf) && L.owned(leaf.type);
  }

  for (const n of spine) {
    if (n.kind === "logical") {
      // Short circuit: the right operand runs only while the chain's value is still undecided.
      const undecided = n.op === "and" ? get(acc) : m.i32.eqz(get(acc));
      out.push(m.if(undecided, ir.set(acc.local, fl.expr(n.right))));
      continue;
    }
    const next: Acc = { local: slot(L.wasm(n.type), acc.local), type: n.type, fresh: L.owned(n.type) };
    const right = fl.borrow(n.right);
    op.reset();
    out.push(ir.set(next.local, binary(op.fl, n.op, n.operand, get(acc), right, n.span)));
    if (acc.fresh) out.push(fl.dropValue(acc.type, get(acc)));
    acc = next;
  }
  const w = L.wasm(acc.type);
  out.push(get(acc));
  return m.block(null, out, w === binaryen.none ? binaryen.auto : w);
}

/**
 * A view of fl whose `tmp` hands out locals reused from one chain step to the next: the
 * temporaries of one operator (checked arithmetic keeps its operands and result in locals) are
 * dead once its step is stored, and fresh ones per step would exceed the engines' local limit.
 */
function scratchLowerer(fl: Lowerer): { fl: Lowerer; reset: () => void } {
  const pool = new Map<WType, number[]>();
  const used = new Map<WType, number>();
  const tmp = (w: WType): number => {
    const list = pool.get(w) ?? [];
    pool.set(w, list);
    const i = used.get(w) ?? 0;
    used.set(w, i + 1);
    if (i === list.length) list.push(fl.tmp(w));
    return list[i];
  };
  const view = new Proxy(fl, {
    get(target, key) {
      if (key === "tmp") return tmp;
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { fl: view, reset: () => used.clear() };
}
