// Effect declarations of a program: resources, user verbs and groups, and the resolution of a
// `with` clause into atoms. Groups are expanded here once, so inference and verification only
// ever see atoms (effects-concurrency §1.1).

import type { Diagnostic } from "../diagnostics.js";
import type { TEffectItem, TExpr, TLocal, TProgram, TResourceDecl, Span } from "../check/tir.js";
import { AtomSet, BUILTIN_RESOURCES, BUILTIN_VERBS, RESOURCE_VERBS, type EffectAtom } from "./atoms.js";
import { effectError } from "./diag.js";

const RESERVED_RESOURCES = new Set(["CompileTimeEnv", "CompileTimeHeap"]);

/** A `with` clause resolved: its atoms, and whether it is polymorphic (`with _` / `with E`). */
export interface ResolvedClause {
  atoms: EffectAtom[];
  /** `with _` somewhere in the clause: the viral, unchecked form. */
  underscore: boolean;
  /** Named effect variables (`with E`). */
  vars: string[];
  /** The clause as written, for reports: atoms plus `_` / variable names. */
  rendered: string[];
}

export class EffectDecls {
  readonly resources = new Map<string, TResourceDecl>();
  private readonly verbs = new Map<string, boolean>(); // name -> transparent
  private readonly groups = new Map<string, { terms: TEffectItem[]; span: Span }>();
  private readonly expanded = new Map<string, EffectAtom[]>();

  constructor(program: TProgram, private readonly diags: Diagnostic[]) {
    for (const r of program.resources) {
      if (RESERVED_RESOURCES.has(r.name)) {
        diags.push(effectError("E0114", `'${r.name}' is a reserved resource name and cannot be declared`, r.span));
        continue;
      }
      this.resources.set(r.name, r);
    }
    for (const v of program.verbs) this.verbs.set(v.name, v.transparent);
    for (const g of program.effectGroups) this.groups.set(g.name, { terms: g.terms, span: g.span });
    this.expandAllGroups();
  }

  isTransparent(verb: string): boolean {
    return this.verbs.get(verb) === true;
  }

  isGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** Resolve a function's clause. `locals` names key expressions like `writes(Shard[k])`. */
  resolveClause(items: TEffectItem[], locals?: TLocal[]): ResolvedClause {
    const set = new AtomSet();
    const out: ResolvedClause = { atoms: [], underscore: false, vars: [], rendered: [] };
    for (const it of items) {
      if (it.kind === "var" && it.name === "_") {
        out.underscore = true;
        out.rendered.push("_");
        continue;
      }
      const groupName = it.kind === "group" || it.kind === "var" ? it.name : undefined;
      if (groupName !== undefined) {
        const g = this.expanded.get(groupName);
        if (g) {
          for (const a of g) set.add(a);
          out.rendered.push(groupName);
        } else if (it.kind === "var") {
          // A bare non-group name after `with` is an effect variable, bound at each call site.
          out.vars.push(it.name);
          out.rendered.push(it.name);
        } else if (!this.groups.has(groupName)) {
          this.diags.push(effectError("E0403", `undefined effect group: '${groupName}'`, it.span));
        }
        continue;
      }
      if (it.kind === "verb") {
        for (const a of this.verbAtoms(it, locals)) {
          if (set.add(a)) out.rendered.push(renderForClause(a));
        }
      }
    }
    out.atoms = set.atoms();
    return out;
  }

  /** The atoms of one verb item; reports undefined verbs and resources. Transparent verbs are erased. */
  private verbAtoms(it: TEffectItem & { kind: "verb" }, locals?: TLocal[]): EffectAtom[] {
    const builtin = BUILTIN_VERBS.has(it.verb);
    if (!builtin && !this.verbs.has(it.verb)) {
      this.diags.push(
        effectError("E0100", `undefined effect verb '${it.verb}'; declare \`effect verb ${it.verb};\``, it.span, {
          notes: ["built-in verbs are reads, writes, sends, receives, allocates, panics, blocks and suspends"],
        }),
      );
      return [];
    }
    if (this.isTransparent(it.verb)) return [];
    const takesResource = !builtin || (RESOURCE_VERBS as readonly string[]).includes(it.verb);
    if (!takesResource || it.resources.length === 0) return [{ verb: it.verb }];
    const atoms: EffectAtom[] = [];
    for (const r of it.resources) {
      const name = r.path.join(".");
      if (r.path.length === 1 && !this.resources.has(name) && !BUILTIN_RESOURCES.has(name)) {
        this.diags.push(
          effectError("E0100", `undefined effect resource '${name}'; declare \`effect resource ${name};\` or import one`, r.span, {
            fixes: [{ message: `declare the resource: effect resource ${name};`, span: { offset: 0, length: 0, line: 1, column: 1 }, replacement: `effect resource ${name};\n` }],
          }),
        );
        continue;
      }
      const atom: EffectAtom = { verb: it.verb, resource: name };
      if (r.key) atom.key = keyText(r.key, locals);
      atoms.push(atom);
    }
    return atoms;
  }

  /** Expand every group once, in declaration order; cycles are reported once, at the first group on them. */
  private expandAllGroups(): void {
    const state = new Map<string, "active" | "done">();
    const reportedCycle = new Set<string>();
    const visit = (name: string, stack: string[]): EffectAtom[] => {
      const done = this.expanded.get(name);
      if (done) return done;
      const g = this.groups.get(name)!;
      state.set(name, "active");
      stack.push(name);
      const set = new AtomSet();
      for (const t of g.terms) {
        const ref = t.kind === "group" || (t.kind === "var" && t.name !== "_") ? t.name : undefined;
        if (ref !== undefined) {
          if (!this.groups.has(ref)) {
            this.diags.push(effectError("E0403", `undefined effect group: '${ref}'`, t.span));
            continue;
          }
          if (state.get(ref) === "active") {
            const cycle = stack.slice(stack.indexOf(ref));
            const first = [...cycle].sort((a, b) => this.groups.get(a)!.span.offset - this.groups.get(b)!.span.offset)[0];
            if (!cycle.some((c) => reportedCycle.has(c))) {
              for (const c of cycle) reportedCycle.add(c);
              const path = [...cycle, ref].join(" -> ");
              this.diags.push(effectError("E0402", `circular effect group reference: '${first}'`, this.groups.get(first)!.span, { notes: [`the groups refer to each other: ${path}`] }));
            }
            continue;
          }
          for (const a of visit(ref, stack)) set.add(a);
          continue;
        }
        if (t.kind === "var") {
          this.diags.push(effectError("E0403", "`_` cannot appear in an effect group", t.span));
          continue;
        }
        if (t.kind === "verb") for (const a of this.verbAtoms(t)) set.add(a);
      }
      stack.pop();
      state.set(name, "done");
      const atoms = set.atoms();
      this.expanded.set(name, atoms);
      return atoms;
    };
    for (const name of this.groups.keys()) visit(name, []);
  }
}

function renderForClause(a: EffectAtom): string {
  return a.resource === undefined ? a.verb : a.key === undefined ? `${a.verb}(${a.resource})` : `${a.verb}(${a.resource}[${a.key}])`;
}

/** A resource key as text: a literal's value, or the name of the local it reads. */
export function keyText(e: TExpr, locals?: TLocal[]): string {
  switch (e.kind) {
    case "int":
      return e.value.toString();
    case "bool":
      return String(e.value);
    case "string":
      return JSON.stringify(e.value);
    case "coerce":
    case "cast":
      return keyText(e.value, locals);
    case "read":
      if (e.place.kind === "local") return locals?.[e.place.local]?.name ?? "_";
      return "_";
    default:
      return "_";
  }
}
