// Verification of `pub fn` declarations (effects-concurrency §1.5): every effect the body
// performs must be declared, matched exactly per (verb, resource) with no subsumption.
// allocates(Heap) and transparent verbs are never demanded; module-binding resources are not
// nameable and get their own diagnostic (E0409). Over-declaration (E0401) cannot happen because
// declared sets are seeded into the inferred ones.

import type { Diagnostic, Fix } from "../diagnostics.js";
import type { TFunction, TProgram, Span } from "../tir/nodes.js";
import { MODULE_BINDING_SUFFIX, hasLiteralKey, renderAtom, verbResourceKey, type EffectAtom, type Origin, AtomSet } from "./atoms.js";
import { effectError } from "./diag.js";
import { isFirewall, isConcurrencyPrimitive, type Inference } from "./infer.js";

export function verifyPublicFunctions(program: TProgram, inf: Inference, diags: Diagnostic[]): void {
  const moduleBindings = new Map<string, { name: string; line: number }>();
  for (const g of program.globals) {
    if (g.mut && !isConcurrencyPrimitive(g.type.kind)) moduleBindings.set(g.name + MODULE_BINDING_SUFFIX, { name: g.name, line: g.span.line });
  }
  const polymorphicNames = new Set(
    program.functions.filter((f) => inf.polymorphic[f.id]).map((f) => f.name),
  );

  for (const fn of program.functions) {
    if (!isFirewall(fn)) continue;
    const clause = inf.clauses.get(fn.id);
    const set = inf.inferred[fn.id];
    const demanded = set.atoms().filter((a) => !isDefaultPermitted(a) && !(a.resource && moduleBindings.has(a.resource)));

    moduleBindingUses(fn, set, moduleBindings, diags);

    if (clause?.underscore) continue; // `with _` bodies are not checked further
    const callsUnderscore = inf.facts[fn.id].edges.some((e) => e.kind === "call" && inf.clauses.get(e.target)?.underscore);
    if (callsUnderscore) {
      // `with _` is the whole remedy (its bodies are not checked further), so nothing else is reported.
      const fix = clause ? undefined : insertBeforeBody(fn, "with _ ");
      diags.push(
        effectError(
          "E0400",
          `public function '${fn.name}' calls a polymorphic (\`with _\`) function but does not declare \`with _\`. Add \`with _\` to propagate closure effects.`,
          fn.span,
          { fixes: fix ? [fix] : [] },
        ),
      );
      continue;
    }

    if (!clause) {
      if (demanded.length === 0) continue;
      const list = demanded.map(render);
      const written = [...new Set(demanded.map(clauseText))];
      const fix = insertBeforeBody(fn, `with ${written.join(" ")} `);
      diags.push(
        effectError(
          "E0400",
          `public function '${fn.name}' performs effects [${list.join(", ")}] but has no effect declaration. Add: with ${written.join(" ")} to the function signature`,
          fn.span,
          { fixes: fix ? [fix] : [] },
        ),
      );
      continue;
    }

    const declared = new Set(clause.atoms.map(verbResourceKey));
    const isVarClause = clause.vars.length > 0;
    for (const a of demanded) {
      if (declared.has(verbResourceKey(a))) continue;
      const origin = set.originOf(a);
      // Under `with E`, effects arriving through a polymorphic callee belong to E.
      if (isVarClause && origin?.via && polymorphicNames.has(origin.via)) continue;
      const where = originText(origin);
      const r = render(a);
      const w = clauseText(a);
      if (isVarClause && clause.atoms.length === 0) {
        diags.push(
          effectError(
            "E0400",
            `public function '${fn.name}' is declared \`with ${clause.vars[0]}\` (purely polymorphic) but performs ${r}${where}; add it to the declaration as \`with ${clause.vars[0]} ${w}\` or remove the call`,
            fn.span,
            { fixes: appendToClause(fn, w) },
          ),
        );
      } else if (isVarClause) {
        diags.push(
          effectError(
            "E0400",
            `public function '${fn.name}' performs ${r}${where} but it is not in the fixed part of its \`with ${clause.vars[0]} ...\` declaration; add ${w} to the declaration`,
            fn.span,
            { fixes: appendToClause(fn, w) },
          ),
        );
      } else {
        diags.push(
          effectError("E0400", `public function '${fn.name}' performs ${r} but does not declare it${where}`, fn.span, {
            notes: a.verb === "writes" && declared.has(`reads(${a.resource})`) ? ["declaring reads does not cover writes: each (verb, resource) pair is declared on its own"] : [],
            fixes: appendToClause(fn, w),
          }),
        );
      }
    }
  }
}

/** allocates(Heap) is the ambient substrate effect: never demanded under the default profile. */
function isDefaultPermitted(a: EffectAtom): boolean {
  return a.verb === "allocates" && a.resource === "Heap";
}

/** How an atom reads in a message: with its partition key (`writes(Shard[1])`). */
const render = renderAtom;

/**
 * How an atom is written into the function's own clause by a fix: a literal key is kept; a key
 * named in some callee's clause means nothing here, so the whole resource is declared instead.
 */
function clauseText(a: EffectAtom): string {
  return a.key === undefined || hasLiteralKey(a) ? renderAtom(a) : verbResourceKey(a);
}

function originText(o: Origin | undefined): string {
  return o?.via ? ` (via call to '${o.via}' at line ${o.span.line})` : "";
}

/** E0409: a pub fn touching a module-level `let mut` (its resource cannot be written in a clause). */
function moduleBindingUses(fn: TFunction, set: AtomSet, bindings: Map<string, { name: string; line: number }>, diags: Diagnostic[]): void {
  const seen = new Set<string>();
  for (const a of set.atoms()) {
    const b = a.resource ? bindings.get(a.resource) : undefined;
    if (!b || seen.has(b.name)) continue;
    seen.add(b.name);
    diags.push(
      effectError(
        "E0409",
        `public function '${fn.name}' performs ${render(a)} on module-level let mut '${b.name}' (binding declared at line ${b.line}); the per-binding resource cannot be named in a \`with ...\` declaration`,
        fn.span,
        { notes: [`wrap '${b.name}' in Atomic[T] or Mutex[T], or keep the function that touches it private`] },
      ),
    );
  }
}

function appendToClause(fn: TFunction, text: string): Fix[] {
  const items = fn.effects ?? [];
  const last = items[items.length - 1];
  if (!last) return [];
  const end = last.span.offset + last.span.length;
  const span: Span = { offset: end, length: 0, line: last.span.line, column: last.span.column + last.span.length };
  return [{ message: `declare ${text}`, span, replacement: ` ${text}` }];
}

function insertBeforeBody(fn: TFunction, text: string): Fix | undefined {
  const b = fn.body.span;
  if (!b || b.offset <= fn.span.offset) return undefined;
  return { message: `declare the effects: ${text.trim()}`, span: { offset: b.offset, length: 0, line: b.line, column: b.column }, replacement: text };
}
