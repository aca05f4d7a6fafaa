// Effect slots (effects-concurrency §1.6): a Fn-typed parameter whose type carries a clause,
// `f: Fn(T) -> T with reads(Log)` or `with E`. At each call, the function passed in must fit:
// with a fixed clause its effects must be a subset of the slot's (E0404); with `with E` the
// effects beyond the fixed part bind E, and every slot naming the same E must bind it to the
// same set (E0406). `with _` slots accept anything. A Fn-typed parameter without a clause is a
// pure slot, as in karac: a function passed to it may not touch any resource (E0404); panics and
// the ambient allocates(Heap) are not held against it, and a function declared `with _` / `with E`
// leaves its unannotated Fn parameters open.

import type { Diagnostic } from "../diagnostics.js";
import type { FnId, TExpr, TFunction, TProgram } from "../tir/nodes.js";
import { atomKey, renderAtom, type EffectAtom } from "./atoms.js";
import type { EffectDecls, ResolvedClause } from "./declarations.js";
import { effectError } from "./diag.js";
import { isFirewall, resolveFnValue, type Inference } from "./infer.js";
import { walkBlock } from "../tir/walk.js";

/** Each function's slots, resolved: param index -> clause. Problems in slot clauses are reported here. */
export function resolveSlots(program: TProgram, decls: EffectDecls): Map<FnId, Map<number, ResolvedClause>> {
  const out = new Map<FnId, Map<number, ResolvedClause>>();
  for (const fn of program.functions) {
    const mine = new Map<number, ResolvedClause>();
    for (const s of fn.slots ?? []) mine.set(s.param, decls.resolveClause(s.effects, fn.effectVars ?? []));
    // A function declared `with _` / `with E` passes its Fn parameters' effects on: no implicit pure slot.
    const polymorphic = fn.effects?.some((it) => it.kind === "var") ?? false;
    if ((fn.kind === "fn" || fn.kind === "method") && !polymorphic) {
      fn.params.forEach((p, i) => {
        if (p.type.kind === "fn" && !mine.has(i)) mine.set(i, PURE_SLOT);
      });
    }
    if (mine.size) out.set(fn.id, mine);
  }
  return out;
}

/** The slot of a Fn-typed parameter written without a clause. */
const PURE_SLOT: ResolvedClause = { atoms: [], underscore: false, vars: [], rendered: ["pure"] };

export function checkSlotArguments(program: TProgram, inf: Inference, slots: Map<FnId, Map<number, ResolvedClause>>, diags: Diagnostic[]): void {
  if (slots.size === 0) return;
  for (const fn of program.functions) {
    walkBlock(fn.body, {
      expr(e) {
        if (e.kind !== "call") return;
        const calleeSlots = slots.get(e.fn);
        if (calleeSlots) checkCall(program, inf, fn, e, calleeSlots, slots.get(fn.id), diags);
      },
    });
  }
}

function checkCall(
  program: TProgram,
  inf: Inference,
  caller: TFunction,
  call: TExpr & { kind: "call" },
  calleeSlots: Map<number, ResolvedClause>,
  callerSlots: Map<number, ResolvedClause> | undefined,
  diags: Diagnostic[],
): void {
  const callee = program.functions[call.fn];
  const bound = new Map<string, { arg: number; atoms: EffectAtom[] }>();
  const conflicted = new Set<string>();
  for (const [param, slot] of [...calleeSlots].sort((a, b) => a[0] - b[0])) {
    if (slot.underscore || slot.unresolved) continue;
    const arg = call.args[param];
    if (!arg || arg.mode === "mutref") continue;
    const atoms = argumentAtoms(program, inf, caller, callerSlots, arg.value);
    if (atoms === undefined) continue; // an unknown Fn value: its own slot was checked where it was passed
    const beyond = atoms.filter((a) => !slot.atoms.some((s) => covers(s, a)) && (slot !== PURE_SLOT || a.resource !== undefined));
    const argNo = param + 1 - (callee.receiver ? 1 : 0);
    if (slot.vars.length === 0) {
      if (beyond.length === 0) continue;
      const what = beyond.length === 1 ? `effect ${renderAtom(beyond[0])}` : `effects ${beyond.map(renderAtom).join(", ")}`;
      diags.push(
        effectError("E0404", `argument ${argNo} has ${what} not declared in slot [${slot.rendered.join(", ")}] (in call to '${callee.name}')`, arg.value.span, {
          notes: [`a function passed to a slot may only perform the effects the slot declares; declare them on '${callee.params[param]?.name ?? "the parameter"}' or pass a function without them`],
        }),
      );
      continue;
    }
    for (const v of slot.vars) {
      const first = bound.get(v);
      if (!first) {
        bound.set(v, { arg: argNo, atoms: beyond });
        continue;
      }
      if (conflicted.has(v) || sameSet(first.atoms, beyond)) continue;
      conflicted.add(v);
      diags.push(
        effectError(
          "E0406",
          `effect variable \`${v}\` is bound to ${setText(first.atoms)} at argument ${first.arg} but ${setText(beyond)} at argument ${argNo}; \`with ${v}\` requires every slot to agree`,
          arg.value.span,
          { notes: [`in call to '${callee.name}'`] },
        ),
      );
    }
  }
}

/**
 * What the function passed as an argument may do: a known function's visible set, or for the
 * caller's own slot parameter passed on, that slot's fixed clause. Undefined when not known.
 */
function argumentAtoms(
  program: TProgram,
  inf: Inference,
  caller: TFunction,
  callerSlots: Map<number, ResolvedClause> | undefined,
  value: TExpr,
): EffectAtom[] | undefined {
  const target = resolveFnValue(value, inf.knownFns[caller.id]);
  if (target !== undefined) return passedAtoms(program, inf, target);
  let v = value;
  while (v.kind === "copy" || v.kind === "coerce") v = v.value;
  const local = v.kind === "read" && v.place.kind === "local" ? v.place.local : v.kind === "move" ? v.local : undefined;
  if (local === undefined || !callerSlots) return undefined;
  const param = caller.params.findIndex((p) => p.local === local);
  const slot = callerSlots.get(param);
  if (!slot || slot.underscore || slot.unresolved || slot.vars.length > 0) return undefined;
  return slot.atoms.filter((a) => !(a.verb === "allocates" && a.resource === "Heap"));
}

/** What a passed function may do, as its callers see it; the ambient allocates(Heap) never counts. */
function passedAtoms(program: TProgram, inf: Inference, id: FnId): EffectAtom[] {
  const fn = program.functions[id];
  const atoms = fn && isFirewall(fn) ? inf.clauses.get(id)?.atoms ?? [] : inf.inferred[id]?.atoms() ?? [];
  return atoms.filter((a) => !(a.verb === "allocates" && a.resource === "Heap"));
}

/** A slot atom covers an atom of the same verb and resource; a keyed slot atom covers only its own partition. */
function covers(slot: EffectAtom, a: EffectAtom): boolean {
  return slot.verb === a.verb && slot.resource === a.resource && (slot.key === undefined || slot.key === a.key);
}

function sameSet(a: EffectAtom[], b: EffectAtom[]): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(atomKey));
  return b.every((x) => keys.has(atomKey(x)));
}

function setText(atoms: EffectAtom[]): string {
  return `{${atoms.map(renderAtom).join(", ")}}`;
}
