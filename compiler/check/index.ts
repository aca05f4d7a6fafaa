// The checker's entry point: name resolution, type inference and checking, lowering to the
// typed monomorphic program (TIR, see compiler/tir/nodes.ts). Never throws: internal failures become E9999.

import type { FnDecl, Program, Span } from "../syntax/ast.js";
import { DiagnosticBag, type Diagnostic } from "../diagnostics.js";
import { BodyChecker } from "./body.js";
import { checkGenericDefinitions, instantiatePending, traitDefaultDefinitions } from "./expr/generics.js";
import { Builder, asType, tyOf } from "./builder.js";
import { Codes } from "./codes.js";
import { Finalizer } from "./finalize.js";
import { checkMoves } from "./moves.js";
import { checkRefInvalidation } from "./ref-invalidation.js";
import { checkViewLifetimes } from "./view-lifetimes.js";
import { checkInitialised } from "./init.js";
import { settleDropBindings } from "./drop-bindings.js";
import { checkExhaustive } from "./exhaustive.js";
import { ItemTable, collectItems } from "./items.js";
import { reportValueCycles } from "./value-cycles.js";
import { resolveSignatures } from "./sigs.js";
import { checkAttributes } from "./attributes.js";
import { renameImportedTypes } from "./imports.js";
import { checkTraitImpls } from "./trait-impls.js";
import { registerProviders } from "./providers.js";
import { checkStructInvariants } from "./contracts.js";
import type { TFunction, TGlobal, TProgram } from "../tir/nodes.js";
import { annotateSlots, effectItems, fnEffectFields, resourceDecl, traitDecls } from "./effect-clauses.js";
import { UNIT, resolve, type Ty } from "./types.js";
import { verifyFunction } from "../tir/verify.js";
import { withLibrarySources } from "./library-source.js";

export type { TProgram } from "../tir/nodes.js";

const NOWHERE: Span = { offset: 0, length: 0, line: 1, column: 1 };

export function check(program: Program): { program?: TProgram; diagnostics: Diagnostic[] } {
  const diags = new DiagnosticBag();
  const at: Progress = {};
  try {
    const out = run(withLibrarySources(program), diags, at);
    if (diags.hasErrors()) return { diagnostics: distinct(diags.items) };
    return { program: out, diagnostics: distinct(diags.items) };
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      // Not a checker bug but a limit: nesting the checker walks recursively (long method-call or
      // `else if` chains, deeply nested blocks) ran out of stack. Operator chains never get here.
      const where = at.fn ? ` in '${at.fn.name}'` : "";
      diags.error(Codes.TooDeep, "type", `expressions${where} are nested too deeply to check; split them into smaller functions or intermediate \`let\`s`, at.fn?.span ?? NOWHERE);
      return { diagnostics: distinct(diags.items) };
    }
    const detail = err instanceof Error ? err.message : String(err);
    const stack = err instanceof Error && err.stack ? err.stack.split("\n").slice(1, 6).map((l) => l.trim()) : [];
    diags.error("E9999", "type", `internal compiler error in check: ${detail}`, NOWHERE, { notes: stack });
    return { diagnostics: diags.items };
  }
}

/**
 * A generic body is checked once per instance, so a mistake in it that does not depend on the type
 * arguments (an undefined name, say) comes out once per instance: keep one of each.
 */
function distinct(items: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return items.filter((d) => {
    const key = `${d.code}|${d.span.offset}|${d.span.length}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The function being worked on, for a diagnostic when the input is too deep to finish. */
type Progress = { fn?: { name: string; span: Span } };

function run(program: Program, diags: DiagnosticBag, at: Progress): TProgram | undefined {
  const table = new ItemTable(diags);
  table.source = program.source;
  renameImportedTypes(program);
  collectItems(program, table, diags);
  checkAttributes(program, diags);
  resolveSignatures(program, table, diags);
  reportValueCycles(table, diags);
  checkTraitImpls(program, table, diags);
  registerProviders(program, table);

  // One TFunction per declared function, with ids equal to FnInfo ids; lifted bodies follow.
  const functions: TFunction[] = table.allFns.map((info) => ({
    id: info.id,
    kind: info.owner ? "method" : "fn",
    name: info.symbol,
    panicName: info.symbol,
    owner: info.owner,
    receiver: info.decl.receiver,
    params: [],
    ret: asType(info.sig.ret),
    captures: [],
    locals: [],
    body: { kind: "block", stmts: [], drops: [], type: asType(UNIT), span: info.decl.span },
    paramDrops: [],
    ...fnEffectFields(program, info.decl, info.owner),
    pub: info.decl.pub,
    span: info.decl.span,
  }));

  const globalsByName = new Map<string, { id: number; ty: Ty; mut: boolean }>();
  for (const c of table.consts.values()) globalsByName.set(c.name, { id: c.id, ty: c.type, mut: c.mut });
  const checker = new BodyChecker(table, diags, functions, globalsByName);

  // Module-level constants: checked in a scratch function that owns any temporaries.
  const scratch: TFunction = {
    id: -1, kind: "fn", name: "$globals", panicName: "main", params: [], ret: asType(UNIT), captures: [], locals: [],
    body: { kind: "block", stmts: [], drops: [], type: asType(UNIT), span: NOWHERE }, paramDrops: [], pub: false, span: NOWHERE,
  };
  const globals: TGlobal[] = [];
  for (const c of table.consts.values()) {
    checker.b = new Builder(scratch, UNIT);
    checker.b.pushScope();
    const v = checker.checkExpr(c.decl.value, c.type);
    const init = checker.coerce(v, c.type, c.decl.value.span);
    globals.push({ id: c.id, name: c.name, type: asType(c.type), mut: c.mut, init, span: c.decl.span });
  }
  checkStructInvariants(checker);

  for (const info of [...table.allFns]) {
    at.fn = { name: info.symbol, span: info.decl.name.span };
    checker.checkFunction(info, functions[info.id]);
  }
  at.fn = undefined;
  // Generic bodies are checked once at their definition too, their type parameters rigid.
  const genericFns = [...table.fns.values(), ...[...table.methods.values()].flatMap((ms) => [...ms.values()])].filter((f) => f.generics);
  genericFns.push(...traitDefaultDefinitions(table));
  checkGenericDefinitions(checker, genericFns, functions, (info) => ({
    id: -1, kind: info.owner ? "method" : "fn", name: info.symbol, panicName: info.symbol, owner: info.owner, receiver: info.decl.receiver,
    params: [], ret: asType(UNIT), captures: [], locals: [], body: { kind: "block", stmts: [], drops: [], type: asType(UNIT), span: info.decl.span },
    paramDrops: [], pub: false, span: info.decl.span,
  }), () => diags.items.filter((d) => d.severity === "error").length);
  const slotted: [TFunction, FnDecl][] = table.allFns.map((info) => [functions[info.id], info.decl]);
  instantiatePending(checker, (inst) => {
    const fn: TFunction = {
      id: functions.length,
      kind: inst.owner ? "method" : "fn",
      name: inst.symbol,
      panicName: inst.owner ? `${inst.owner}.${inst.name}` : inst.name,
      owner: inst.owner,
      receiver: inst.decl.receiver,
      params: [],
      ret: asType(inst.sig.ret),
      captures: [],
      locals: [],
      body: { kind: "block", stmts: [], drops: [], type: asType(UNIT), span: inst.decl.span },
      paramDrops: [],
      ...fnEffectFields(program, inst.decl, inst.owner),
      pub: inst.decl.pub,
      span: inst.decl.span,
    };
    functions.push(fn);
    slotted.push([fn, inst.decl]);
    return fn;
  });
  for (const d of checker.deferred) d();
  for (const [fn, decl] of slotted) annotateSlots(fn, decl);

  // A file without `main` is a library: every check still runs on it. Only running or building
  // needs an entry point (entry-point.ts, applied by compile()).
  const main = table.fns.get("main");
  if (main?.sig.params.length) {
    diags.error(Codes.MainParams, "type", "`fn main()` takes no parameters", main.decl.name.span);
  } else if (main) {
    // main returns () or Result[(), E] (E: Display): `Err(e)` prints `Error: {e}` to stderr, exit 1.
    const r = resolve(main.sig.ret);
    const isResult = r.kind === "enum" && r.name === "Result" && resolve(r.args[0]).kind === "unit";
    if (r.kind !== "unit" && r.kind !== "error" && !isResult) {
      diags.error(Codes.MainReturnType, "type", "`main` must return () or Result[(), E]", main.decl.ret?.span ?? main.decl.name.span);
    }
  }

  if (diags.hasErrors()) return undefined;

  const fin = new Finalizer(table, diags, (s) => table.allFns.find((f) => f.symbol === s)?.id);
  for (const fn of functions) fin.reportOpenLocals(fn);
  if (diags.hasErrors()) return undefined;
  // Every declared non-generic type is part of the program even when unused.
  for (const s of table.structs.values()) if (!s.generics.length) fin.type(table.structTy(s, []));
  for (const e of table.enums.values()) if (!e.generics.length) fin.type(table.enumTy(e, []));
  for (const fn of functions) {
    at.fn = { name: fn.panicName, span: fn.span };
    fin.function(fn);
  }
  at.fn = undefined;
  for (const g of globals) {
    g.type = fin.type(tyOf(g.type));
    g.init = fin.expr(g.init, scratch.locals);
  }
  for (const fn of functions) {
    at.fn = { name: fn.panicName, span: fn.span };
    const broken = verifyFunction(fn, { functions, structs: fin.structs, enums: fin.enums, globals });
    if (broken.length) throw new Error(`malformed typed program: ${broken.slice(0, 3).map((b) => `${b.where}: ${b.message}`).join("; ")}`);
    checkExhaustive(fn, fin, diags);
    checkInitialised(fn, diags);
    settleDropBindings(fn, fin);
    checkMoves(fn, diags);
    checkRefInvalidation(fn, diags);
    checkViewLifetimes(fn, { structs: fin.structs, enums: fin.enums }, diags);
  }
  at.fn = undefined;
  if (diags.hasErrors()) return undefined;

  return {
    file: program.file,
    functions,
    main: main?.id,
    structs: fin.structs,
    enums: fin.enums,
    globals,
    resources: [...table.resources.entries()].map(([name, span]) => resourceDecl(program, name, span, (te) => fin.type(table.resolveType(te)))),
    verbs: program.items.flatMap((i) => (i.kind === "effectVerb" ? [{ name: i.name.name, transparent: i.transparent, span: i.span }] : [])),
    effectGroups: program.items.flatMap((i) => (i.kind === "effectGroup" ? [{ name: i.name.name, terms: effectItems(i.terms), span: i.span }] : [])),
    traits: traitDecls(program),
  };
}
