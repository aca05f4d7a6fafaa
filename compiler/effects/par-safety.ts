// Safety checks of explicit concurrency (effects-concurrency §1.7, §3.1): what a `par` branch or
// spawned task may do with the values it captures.
//   E0408  a branch writes a captured `let mut` (or a module-level `let mut`)
//   E_CONCURRENT_SHARED_STRUCT / E_CONCURRENT_PLAIN_STRUCT  a struct binding used from two branches
//   E0254  a task captures (or a channel carries) a value that cannot cross a task boundary
//   E0258  a method of a `par` type takes `mut ref self`

import type { Diagnostic } from "../diagnostics.js";
import type { FnId, LocalId, Span, TExpr, TFunction, TPlace, TProgram } from "../tir/nodes.js";
import { MODULE_BINDING_SUFFIX } from "./atoms.js";
import { effectError } from "./diag.js";
import { isConcurrencyPrimitive, resolveFnValue, type Inference } from "./infer.js";
import { SPAWNING } from "./leaves.js";
import { crossTaskUnsafe, showType } from "./types.js";
import { firstUse } from "./first-use.js";
import { placeRoot, walkBlock } from "../tir/walk.js";
import { isFrozenSlot } from "./frozen.js";

export function checkParSafety(program: TProgram, inf: Inference, diags: Diagnostic[]): void {
  const ctx = new ParChecks(program, inf, diags);
  for (const fn of program.functions) ctx.checkFunction(fn);
  ctx.checkParMethods();
}

class ParChecks {
  private readonly written = new Map<FnId, Map<number, Span>>();
  private readonly reported = new Set<string>();

  constructor(private readonly program: TProgram, private readonly inf: Inference, private readonly diags: Diagnostic[]) {}

  checkFunction(fn: TFunction): void {
    walkBlock(fn.body, {
      expr: (e) => {
        if (e.kind === "par") this.checkPar(fn, e);
        else if (e.kind === "builtin" && SPAWNING.has(e.op) && e.args[0]) this.checkSpawn(fn, e.op === "spawn" ? "spawn" : "TaskGroup.spawn", e.args[0], e.span);
        else if (e.kind === "builtin" && e.op === "sender.send" && e.args[0]) this.checkSend(e.args[0]);
      },
    });
  }

  // ---------------------------------------------------------------- E0408

  /** Capture slots of a lifted body that it (or a body it creates) writes, with the first write site. */
  private writtenSlots(id: FnId): Map<number, Span> {
    const memo = this.written.get(id);
    if (memo) return memo;
    const out = new Map<number, Span>();
    this.written.set(id, out); // lifted bodies never recurse into themselves; this also guards cycles
    const fn = this.program.functions[id];
    if (!fn) return out;
    const mark = (local: LocalId, span: Span): void => {
      const l = fn.locals[local];
      if (l?.kind === "capture" && l.captureIndex !== undefined && !out.has(l.captureIndex)) out.set(l.captureIndex, span);
    };
    const fromChild = (child: FnId, inits: { outer: LocalId }[], skip?: Set<LocalId>): void => {
      for (const [slot, span] of this.writtenSlots(child)) {
        const init = inits[slot];
        if (init && !skip?.has(init.outer)) mark(init.outer, span);
      }
    };
    walkBlock(fn.body, {
      place: (p, access, span) => {
        if (access === "read" || access === "lock") return;
        const root = placeRoot(p);
        if (root?.kind === "local") mark(root.local, span);
      },
      expr: (e) => {
        if (e.kind === "closure") fromChild(e.fn, e.captures);
        else if (e.kind === "par") for (const b of e.branches) fromChild(b.fn, b.captures, new Set(e.hoisted));
      },
    });
    return out;
  }

  private checkPar(fn: TFunction, par: TExpr & { kind: "par" }): void {
    const hoisted = new Set(par.hoisted);
    for (const b of par.branches) {
      for (const [slot, span] of this.writtenSlots(b.fn)) {
        const init = b.captures[slot];
        if (!init || hoisted.has(init.outer)) continue;
        const outer = fn.locals[init.outer];
        if (!outer || isConcurrencyPrimitive(outer.type.kind)) continue;
        if (!outer.mut && outer.mode !== "mutref") continue;
        // One diagnostic per binding per par block, and none twice for the same write (nested pars).
        const bindingKey = `E0408:${par.span.offset}:${outer.name}`;
        const siteKey = `E0408-site:${span.offset}:${outer.name}`;
        if (this.reported.has(bindingKey) || this.reported.has(siteKey)) continue;
        this.reported.add(bindingKey);
        this.reported.add(siteKey);
        const what = outer.kind === "param" ? `mut ref parameter '${outer.name}'` : `local let mut '${outer.name}'`;
        this.diags.push(
          effectError(
            "E0408",
            `${what} cannot be written from inside par { } — each branch runs on its own thread, so the write races with the other branches; wrap it in Atomic[T], Mutex[T], or use a par struct`,
            span,
            {
              notes: [
                `'${outer.name}' is declared at line ${outer.span.line}, outside the par block at line ${par.span.line}`,
                `a shared counter: \`let ${outer.name} = Atomic.new(0);\` and \`${outer.name}.fetch_add(1, MemoryOrdering.Relaxed)\` in each branch; a shared aggregate: \`Mutex.new(..)\` and \`lock ${outer.name} { .. }\`; shared state with several fields: a \`par struct\` whose mutable fields are Atomic[T] or Mutex[T]`,
              ],
            },
          ),
        );
      }
    }
    this.closureWrites(fn, par);
    this.moduleWrites(par);
    this.concurrentStructs(fn, par, hoisted);
  }

  /** Where each closure is created: the creating function and what fills its capture slots. */
  private creations?: Map<FnId, { creator: FnId; inits: { outer: LocalId }[] }>;

  private creationOf(id: FnId): { creator: FnId; inits: { outer: LocalId }[] } | undefined {
    if (!this.creations) {
      const map = new Map<FnId, { creator: FnId; inits: { outer: LocalId }[] }>();
      for (const f of this.program.functions) {
        walkBlock(f.body, {
          expr: (e) => {
            if (e.kind === "closure") map.set(e.fn, { creator: f.id, inits: e.captures });
          },
        });
      }
      this.creations = map;
    }
    return this.creations.get(id);
  }

  /**
   * A closure created outside the par block that writes its by-reference captures, called from a
   * branch (directly, or handed to a function that calls it): the write races just the same.
   */
  private closureWrites(fn: TFunction, par: TExpr & { kind: "par" }): void {
    for (const b of par.branches) {
      const branch = this.program.functions[b.fn];
      if (!branch) continue;
      const runs: { closure: FnId; span: Span }[] = [];
      walkBlock(branch.body, {
        expr: (e) => {
          const edges = this.inf.nodeEdges.get(e);
          if (!edges) return;
          for (const edge of edges) {
            if (e.kind === "callValue") runs.push({ closure: edge.target, span: e.span });
            else if (e.kind === "call" && this.inf.polymorphic[edge.target]) {
              for (const a of edge.fnArgs) if (a !== null) runs.push({ closure: a, span: e.span });
            }
          }
        },
      });
      for (const run of runs) {
        const c = this.program.functions[run.closure];
        const made = this.creationOf(run.closure);
        if (!c || c.kind !== "closure" || !made || made.creator !== fn.id) continue;
        for (const [slot] of this.writtenSlots(run.closure)) {
          const outer = fn.locals[made.inits[slot]?.outer ?? -1];
          if (!outer || isConcurrencyPrimitive(outer.type.kind) || (!outer.mut && outer.mode !== "mutref")) continue;
          const key = `E0408-closure:${par.span.offset}:${outer.name}`;
          if (this.reported.has(key)) continue;
          this.reported.add(key);
          this.diags.push(
            effectError(
              "E0408",
              `local let mut '${outer.name}' cannot be written from inside par { } (the closure called here assigns it) — each branch runs on its own thread, so the write races with the other branches; wrap it in Atomic[T], Mutex[T], or use a par struct`,
              run.span,
              { notes: [`'${outer.name}' is declared at line ${outer.span.line}; the closure that writes it is created at line ${c.span.line}`] },
            ),
          );
        }
      }
    }
  }

  /** Module-level `let mut` written by a branch, directly or through the functions it calls. */
  private moduleWrites(par: TExpr & { kind: "par" }): void {
    const seen = new Set<string>();
    for (const b of par.branches) {
      const set = this.inf.inferred[b.fn];
      for (const a of set.atoms()) {
        if (a.verb !== "writes" || !a.resource?.endsWith(MODULE_BINDING_SUFFIX)) continue;
        const name = a.resource.slice(0, -MODULE_BINDING_SUFFIX.length);
        const g = this.program.globals.find((x) => x.name === name && x.mut);
        if (!g || seen.has(name)) continue;
        seen.add(name);
        const origin = set.originOf(a);
        const via = origin?.via ? ` (through the call to '${origin.via}')` : "";
        this.diags.push(
          effectError(
            "E0408",
            `module-level let mut '${name}' cannot be written from inside par { }${via} — wrap it in Atomic[T], Mutex[T], or use a par struct (binding declared at line ${g.span.line})`,
            origin?.span ?? b.span,
            { notes: [`every branch of the par block at line ${par.span.line} runs on its own thread, so unsynchronised writes race`] },
          ),
        );
      }
    }
  }

  // ---------------------------------------------------------------- E_CONCURRENT_*

  private concurrentStructs(fn: TFunction, par: TExpr & { kind: "par" }, hoisted: Set<LocalId>): void {
    // outer local -> branches that capture it, with the capture local in each
    const users = new Map<LocalId, { fn: FnId; local: LocalId }[]>();
    for (const b of par.branches) {
      const branch = this.program.functions[b.fn];
      b.captures.forEach((init, slot) => {
        if (hoisted.has(init.outer)) return;
        const cap = branch?.captures[slot];
        if (!cap) return;
        const list = users.get(init.outer) ?? [];
        list.push({ fn: b.fn, local: cap.local });
        users.set(init.outer, list);
      });
    }
    for (const [outerId, list] of users) {
      if (list.length < 2) continue;
      const outer = fn.locals[outerId];
      if (!outer) continue;
      // A `frozen` parameter is read-only shared by construction; frozen.ts judges every use of it.
      if (fn.params.some((p) => p.local === outerId && p.frozen)) continue;
      const t = outer.type;
      let flavor: "shared" | "plain" | undefined;
      let typeName = "";
      if (t.kind === "struct") {
        const def = this.program.structs.get(t.name);
        const fl = def?.flavor ?? t.flavor;
        if (fl === "par") continue;
        flavor = fl;
        typeName = def?.baseName ?? t.name;
      } else if (t.kind === "enum") {
        const def = this.program.enums.get(t.name);
        if ((def?.flavor ?? t.flavor) !== "shared") continue;
        flavor = "shared";
        typeName = def?.baseName ?? t.name;
      } else continue;

      const uses = list.map((u) => this.captureUses(u.fn, u.local)).filter((u) => u.first);
      if (uses.length < 2) continue;
      if (flavor === "plain" && uses.every((u) => u.allBareRef) && !crossTaskUnsafe(this.program, t)) continue;
      // Every branch only hands the value whole to `frozen` parameters: shared read-only (frozen.ts
      // checks those parameters never write, keep or count the handle).
      if (uses.every((u) => u.allBareFrozen)) continue;
      const first = uses[0].first!;
      const second = uses[1].first!;
      const kindLabel = flavor === "shared" ? (t.kind === "enum" ? "shared enum" : "shared struct") : "plain struct";
      const code = flavor === "shared" ? "E_CONCURRENT_SHARED_STRUCT" : "E_CONCURRENT_PLAIN_STRUCT";
      this.diags.push(
        effectError(
          code,
          `${kindLabel} \`${typeName}\` cannot be accessed from multiple concurrent tasks (binding \`${outer.name}\` reachable from two par-block branches: first use at line ${first.line}:${first.column}, conflicting use here)`,
          second,
          {
            notes: [
              flavor === "shared"
                ? `convert \`${typeName}\` to \`par struct\`: rename \`shared struct ${typeName}\` to \`par struct ${typeName}\` and make each \`mut\` field an Atomic[T] or Mutex[T], writing through atomics or \`lock\``
                : `convert \`${typeName}\` to \`par struct\` (mutable state in Atomic[T] or Mutex[T] fields), or pass it to each branch only as a bare argument to a \`ref\` parameter`,
            ],
          },
        ),
      );
    }
  }

  /** How a lifted body uses one of its captures: first use, and whether every use is a bare `ref` argument. */
  private captureUses(id: FnId, local: LocalId): { first?: Span; allBareRef: boolean; allBareFrozen: boolean } {
    const fn = this.program.functions[id];
    let first: Span | undefined;
    let allBareRef = true;
    let allBareFrozen = true;
    if (!fn) return { allBareRef, allBareFrozen: false };
    const bare = new WeakSet<object>();
    const frozenArg = new WeakSet<object>();
    const handled = new WeakSet<TPlace>();
    const use = (span: Span, isBare: boolean, toFrozen = false): void => {
      if (!first || span.offset < first.offset) first = span;
      if (!isBare) allBareRef = false;
      if (!toFrozen) allBareFrozen = false;
    };
    const rootedHere = (p: TPlace): boolean => {
      const r = placeRoot(p);
      return r?.kind === "local" && r.local === local;
    };
    walkBlock(fn.body, {
      expr: (e) => {
        switch (e.kind) {
          case "call":
            e.args.forEach((a, i) => {
              if (a.mode === "ref" && a.value.kind === "read" && a.value.place.kind === "local" && a.value.place.local === local) {
                bare.add(a.value);
                if (isFrozenSlot(this.program, e.fn, i)) frozenArg.add(a.value);
              }
            });
            break;
          case "read":
            if (rootedHere(e.place)) {
              handled.add(e.place);
              use(e.span, bare.has(e), frozenArg.has(e));
            }
            break;
          case "move":
            if (e.local === local) use(e.span, false);
            break;
          case "closure":
            if (e.captures.some((c) => c.outer === local)) use(e.span, false);
            break;
          case "par":
            if (e.branches.some((b) => b.captures.some((c) => c.outer === local))) use(e.span, false);
            break;
          default:
            break;
        }
      },
      place: (p, _access, span) => {
        if (handled.has(p)) return;
        if (p.kind === "local" && p.local === local) use(span, false);
      },
    });
    return { first, allBareRef, allBareFrozen };
  }

  // ---------------------------------------------------------------- E0254

  private checkSpawn(fn: TFunction, site: string, closure: TExpr, span: Span): void {
    const thunkId = resolveFnValue(closure, this.inf.knownFns[fn.id]);
    if (thunkId === undefined) return;
    const thunk = this.program.functions[thunkId];
    if (!thunk) return;
    for (const slot of thunk.captures) {
      const path = crossTaskUnsafe(this.program, slot.type);
      if (!path) continue;
      const at = firstUse(thunk, slot.local) ?? span;
      const ty = showType(slot.type);
      const where = path.path.length ? ` at ${path.path.join(" -> ")}` : "";
      this.diags.push(
        effectError(
          "E0254",
          `capture of \`${slot.name}\` (type \`${ty}\`) cannot cross a ${site} task boundary — type \`${ty}\` reaches \`${path.leaf}\`${where}`,
          at,
          { notes: [`help: make \`${path.typeName}\` a \`par struct\` (mutable state in Atomic[T] or Mutex[T] fields) so tasks can share it`] },
        ),
      );
    }
  }

  private checkSend(value: TExpr): void {
    const path = crossTaskUnsafe(this.program, value.type);
    if (!path) return;
    const ty = showType(value.type);
    this.diags.push(
      effectError("E0254", `a value of type \`${ty}\` cannot be sent on a channel: it reaches \`${path.leaf}\`, which cannot cross a task boundary`, value.span, {
        notes: [`help: make \`${path.typeName}\` a \`par struct\` (mutable state in Atomic[T] or Mutex[T] fields)`],
      }),
    );
  }

  // ---------------------------------------------------------------- E0258

  checkParMethods(): void {
    for (const fn of this.program.functions) {
      if (fn.kind !== "method" || fn.receiver !== "mutref" || !fn.owner) continue;
      const flavor = this.program.structs.get(fn.owner)?.flavor ?? this.program.enums.get(fn.owner)?.flavor;
      if (flavor !== "par") continue;
      const method = fn.name.includes(".") ? fn.name.slice(fn.name.lastIndexOf(".") + 1) : fn.name;
      this.diags.push(
        effectError(
          "E0258",
          `method '${method}' of par type ${fn.owner} cannot take \`mut ref self\`: a par value is shared by reference across tasks`,
          fn.span,
          { notes: ["take `ref self` and mutate through Atomic[T] or Mutex[T] fields"] },
        ),
      );
    }
  }
}
