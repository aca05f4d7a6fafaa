// Effect declarations of a program: resources, user verbs and groups, and the resolution of a
// `with` clause into atoms. Groups are expanded here once, so inference and verification only
// ever see atoms (effects-concurrency §1.1).

import type { Diagnostic } from "../diagnostics.js";
import type { TEffectItem, TProgram, TResourceDecl, TResourceKey, Span } from "../tir/nodes.js";
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
  /** Some item named nothing (reported); checks against the clause would only repeat that. */
  unresolved?: boolean;
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

  /**
   * Resolve a clause. `vars` are the effect variables its signature declares: any other bare
   * name that is not a group is undefined (E0403). Problems go to `diags` (the phase's list
   * unless given); each is reported once even when several instances of a generic function
   * share the clause.
   */
  resolveClause(items: TEffectItem[], vars: readonly string[], diags: Diagnostic[] = this.diags): ResolvedClause {
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
        } else if (it.kind === "var" && vars.includes(it.name)) {
          // A declared effect variable, bound at each call site.
          out.vars.push(it.name);
          out.rendered.push(it.name);
        } else if (!this.groups.has(groupName)) {
          const notes =
            this.resources.has(groupName) || BUILTIN_RESOURCES.has(groupName)
              ? [`'${groupName}' is a resource: name it with a verb, e.g. reads(${groupName}) or writes(${groupName})`]
              : it.kind === "var"
                ? [`an effect variable is declared in the generic list: \`[with ${it.name}]\``]
                : [];
          this.report(diags, effectError("E0403", `undefined effect group: '${groupName}'`, it.span, { notes }));
          out.unresolved = true;
        }
        continue;
      }
      if (it.kind === "verb") {
        const atoms = this.verbAtoms(it, diags);
        if (atoms === undefined) out.unresolved = true;
        for (const a of atoms ?? []) {
          if (set.add(a)) out.rendered.push(renderForClause(a));
        }
      }
    }
    out.atoms = set.atoms();
    return out;
  }

  /** The atoms of one verb item, undefined when it names something undefined (reported). Transparent verbs are erased. */
  private verbAtoms(it: TEffectItem & { kind: "verb" }, diags: Diagnostic[] = this.diags): EffectAtom[] | undefined {
    const builtin = BUILTIN_VERBS.has(it.verb);
    if (!builtin && !this.verbs.has(it.verb)) {
      this.report(
        diags,
        effectError("E0100", `undefined effect verb '${it.verb}'; declare \`effect verb ${it.verb};\``, it.span, {
          notes: ["built-in verbs are reads, writes, sends, receives, allocates, panics, blocks and suspends"],
        }),
      );
      return undefined;
    }
    if (this.isTransparent(it.verb)) return [];
    const takesResource = !builtin || (RESOURCE_VERBS as readonly string[]).includes(it.verb);
    if (!takesResource || it.resources.length === 0) return [{ verb: it.verb }];
    const atoms: EffectAtom[] = [];
    let undefinedResource = false;
    for (const r of it.resources) {
      const name = r.path.join(".");
      if (r.path.length === 1 && !this.resources.has(name) && !BUILTIN_RESOURCES.has(name)) {
        this.report(
          diags,
          effectError("E0100", `undefined effect resource '${name}'; declare \`effect resource ${name};\` or import one`, r.span, {
            fixes: [{ message: `declare the resource: effect resource ${name};`, span: { offset: 0, length: 0, line: 1, column: 1 }, replacement: `effect resource ${name};\n` }],
          }),
        );
        undefinedResource = true;
        continue;
      }
      const atom: EffectAtom = { verb: it.verb, resource: name };
      if (r.key) atom.key = keyText(r.key);
      atoms.push(atom);
    }
    return undefinedResource ? undefined : atoms;
  }

  private readonly reported = new Set<string>();

  private report(diags: Diagnostic[], d: Diagnostic): void {
    const key = `${d.code}@${d.span.offset}:${d.span.length}`;
    if (diags === this.diags) {
      if (this.reported.has(key)) return;
      this.reported.add(key);
    }
    diags.push(d);
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
        if (t.kind === "verb") for (const a of this.verbAtoms(t) ?? []) set.add(a);
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

/**
 * A partition key as an atom carries it: a literal's decimal value (one partition), or the name
 * the key was written with (`k`, `_`), which stands for any partition.
 */
export function keyText(k: TResourceKey): string {
  return k.kind === "literal" ? k.value.toString() : k.text;
}

/** Trait method clauses are resolved for their diagnostics only (undefined names); a default body used by an impl is a function of its own. */
export function checkTraitClauses(program: TProgram, decls: EffectDecls): void {
  for (const t of program.traits ?? []) {
    for (const m of t.methods) if (m.effects) decls.resolveClause(m.effects, m.effectVars);
  }
}
