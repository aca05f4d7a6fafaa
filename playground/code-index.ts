// What the editor knows about a program that checked cleanly: every named thing (functions with
// their signatures and inferred effects, types, fields, variables with their scopes) and every
// place the source refers to one. Built in the compile worker from the typed program (TIR) and
// sent to the page as plain data, where hover, completion and go-to-definition read it.

import type { Span, TExpr, TFunction, TProgram, Type } from "../compiler/tir/nodes.js";
import { BUILTIN_REGISTRY } from "../compiler/tir/builtins.js";
import { showSourceType } from "../compiler/tir/show-type.js";
import { walkBlock, walkExpr } from "../compiler/tir/walk.js";
import { readEffects } from "./reports.js";
import type { ProgramFile } from "../compiler/api.js";

export interface Range {
  from: number;
  to: number;
}

export type SymbolKind = "function" | "method" | "struct" | "enum" | "variable" | "parameter" | "field" | "builtin";

export interface CodeSymbol {
  kind: SymbolKind;
  name: string;
  /** One line, as the source would write it: `fn fetch(id: i64) -> String  with reads(Db)`. */
  detail: string;
  doc?: string;
  /** Where the name is defined in the checked text (absent for library items). */
  def?: Range;
  /** Variables and parameters: the text where the name is visible. */
  scope?: Range;
  /** What `name.` offers: member table keys (see CodeIndex.members) of the symbol's type. */
  members?: string[];
}

export interface MemberTable {
  fields: number[];
  methods: number[];
}

export interface CodeIndex {
  /** The text the positions refer to. */
  source: string;
  symbols: CodeSymbol[];
  /** Each place the text names a symbol (its definition included), by position. */
  refs: { from: number; to: number; symbol: number }[];
  /** User types' fields and methods, by key (`struct:Point`, `enum:Shape`). */
  members: Record<string, MemberTable>;
}

/**
 * The builtin op-name prefixes whose methods a value of the type has: a value of type Vec has the
 * registry's `vec.*` methods. Used as member keys alongside the user types' `struct:`/`enum:` ones.
 */
export function libraryKeys(t: Type, program: Pick<TProgram, "enums">): string[] {
  switch (t.kind) {
    case "vec":
      return ["vec"];
    case "array":
      return ["array"];
    case "slice":
      return ["slice"];
    case "string":
      return ["string"];
    case "char":
      return ["char"];
    case "int":
      return ["int"];
    case "float":
      return ["float"];
    case "map":
      return ["map"];
    case "set":
      return ["set"];
    case "atomic":
      return ["atomic"];
    case "taskGroup":
      return ["taskgroup"];
    case "taskHandle":
      return ["taskhandle"];
    case "sender":
      return ["sender"];
    case "receiver":
      return ["receiver"];
    case "range":
      return ["range"];
    case "enum": {
      const prelude = program.enums.get(t.name)?.prelude;
      return prelude ? [prelude] : [];
    }
    default:
      return [];
  }
}

/** The source name of a (possibly generic, possibly method) function: `Pair[i64].get` → `get`. */
function sourceName(f: TFunction): string {
  const base = f.name.replace(/\[.*\]$/, "");
  return f.owner !== undefined && base.startsWith(`${f.owner}.`) ? base.slice(f.owner.length + 1) : (base.split(".").pop() ?? base);
}

function paramText(f: TFunction): string {
  return f.params
    .map((p, i) => {
      const mode = p.mode === "ref" ? "ref " : p.mode === "mutref" ? "mut ref " : "";
      if (i === 0 && f.receiver !== undefined) return `${mode}self`;
      return `${p.name}: ${mode}${showSourceType(p.type)}`;
    })
    .join(", ");
}

export function signatureOf(f: TFunction, effects: string[] | undefined): string {
  const owner = f.owner !== undefined ? `${f.owner.replace(/\[.*\]$/, "")}.` : "";
  const ret = f.ret.kind === "unit" ? "" : ` -> ${showSourceType(f.ret)}`;
  const clause = effects && effects.length > 0 ? `  with ${effects.join(", ")}` : "";
  return `fn ${owner}${sourceName(f)}(${paramText(f)})${ret}${clause}`;
}

const wordAt = (source: string, from: number, word: string): Range | undefined =>
  source.startsWith(word, from) ? { from, to: from + word.length } : undefined;

/** The first match of `pattern` (with one capture group: the name) inside `span`, as the name's range. */
function findIn(source: string, span: Span, pattern: string): Range | undefined {
  const m = new RegExp(pattern, "d").exec(source.slice(span.offset, span.offset + span.length));
  const at = m?.indices?.[1];
  return at ? { from: span.offset + at[0], to: span.offset + at[1] } : undefined;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The name after `.` that follows `end` (`recv.name`), skipping spaces and line breaks. */
function memberNameAfter(source: string, end: number, name: string): Range | undefined {
  const m = /^\s*\.\s*/.exec(source.slice(end, end + 200));
  return m ? wordAt(source, end + m[0].length, name) : undefined;
}

const spanEnd = (s: Span): number => s.offset + s.length;

export function buildCodeIndex(source: string, program: TProgram, effectsReport: unknown): CodeIndex {
  const symbols: CodeSymbol[] = [];
  const refs: CodeIndex["refs"] = [];
  const members: Record<string, MemberTable> = {};
  const add = (s: CodeSymbol): number => symbols.push(s) - 1;
  const ref = (range: Range | undefined, symbol: number): void => {
    if (range && range.to > range.from) refs.push({ from: range.from, to: range.to, symbol });
  };
  const inferred = new Map(readEffects(effectsReport).map((e) => [e.name, e.inferred]));
  const userKeys = (t: Type): string[] => {
    if (t.kind === "struct") return [`struct:${t.name}`];
    if (t.kind === "enum" && !program.enums.get(t.name)?.prelude) return [`enum:${t.name}`];
    return libraryKeys(t, program);
  };
  const table = (key: string): MemberTable => (members[key] ??= { fields: [], methods: [] });
  const builtinSymbols = new Map<string, number>();
  const builtinSymbol = (op: string): number => {
    let sym = builtinSymbols.get(op);
    if (sym === undefined) {
      const d = BUILTIN_REGISTRY.get(op);
      sym = add({ kind: "builtin", name: op.split(".").pop() ?? op, detail: d?.sig ?? op, doc: d?.doc });
      builtinSymbols.set(op, sym);
    }
    return sym;
  };
  const inFile = (s: Span): boolean => s.length > 0 && spanEnd(s) <= source.length;

  // Types and their fields.
  const fieldSymbols = new Map<string, number[]>();
  for (const s of program.structs.values()) {
    if (!inFile(s.span)) continue;
    const def = findIn(source, s.span, `struct\\s+(${escapeRe(s.baseName)})\\b`);
    const fields = s.fields.map((f) => `${f.name}: ${showSourceType(f.type)}`).join(", ");
    const sym = add({ kind: "struct", name: s.baseName, detail: `struct ${s.name} { ${fields} }`, def, members: [`struct:${s.name}`] });
    ref(def, sym);
    const ids = s.fields.map((f) => {
      const fdef = findIn(source, s.span, `[{,]\\s*(?:pub\\s+)?(?:mut\\s+)?(${escapeRe(f.name)})\\s*:`);
      const id = add({ kind: "field", name: f.name, detail: `${s.name}.${f.name}: ${showSourceType(f.type)}`, def: fdef, members: userKeys(f.type) });
      ref(fdef, id);
      return id;
    });
    fieldSymbols.set(s.name, ids);
    table(`struct:${s.name}`).fields.push(...ids);
  }
  const typeSymbols = new Map(symbols.map((s, i) => [s.name, i] as const).filter(([, i]) => symbols[i].kind === "struct"));
  for (const e of program.enums.values()) {
    if (e.prelude || !inFile(e.span)) continue;
    const def = findIn(source, e.span, `enum\\s+(${escapeRe(e.baseName)})\\b`);
    const sym = add({ kind: "enum", name: e.baseName, detail: `enum ${e.name} { ${e.variants.map((v) => v.name).join(", ")} }`, def, members: [`enum:${e.name}`] });
    ref(def, sym);
    typeSymbols.set(e.baseName, sym);
  }

  // Functions (lifted closures and branches are parts of the function they appear in).
  const fnSymbols = new Map<number, number>();
  for (const f of program.functions) {
    if (f.kind !== "fn" && f.kind !== "method") continue;
    if (!inFile(f.span)) continue;
    const name = sourceName(f);
    const def = findIn(source, f.span, `fn\\s+(${escapeRe(name)})\\b`);
    const sym = add({ kind: f.kind === "method" ? "method" : "function", name, detail: signatureOf(f, inferred.get(f.name)), def, members: userKeys(f.ret) });
    ref(def, sym);
    fnSymbols.set(f.id, sym);
    if (f.owner !== undefined) {
      const ownerType = f.params[0]?.type;
      const key = ownerType && f.receiver !== undefined ? userKeys(ownerType)[0] : program.structs.has(f.owner) ? `struct:${f.owner}` : `enum:${f.owner}`;
      if (key) table(key).methods.push(sym);
    }
  }

  // Variables, with the smallest enclosing block (or arm, loop, function) as their scope.
  for (const f of program.functions) {
    if (!inFile(f.span)) continue;
    const containers: Range[] = [{ from: f.span.offset, to: spanEnd(f.span) }];
    const container = (s: Span): void => void containers.push({ from: s.offset, to: spanEnd(s) });
    const localSymbols = new Map<number, number>();
    const body = f.body;
    const visitExpr = (e: TExpr): void => {
      if (e.kind === "block" || e.kind === "for" || e.kind === "while" || e.kind === "loop") container(e.span);
      if (e.kind === "if") container(e.then.span);
      if (e.kind === "match") for (const arm of e.arms) container(arm.span);
    };
    walkBlock(body, { expr: (e) => void visitExpr(e) });
    containers.sort((a, b) => a.to - a.from - (b.to - b.from));
    for (const l of f.locals) {
      if ((l.kind !== "let" && l.kind !== "param") || !/^[A-Za-z_]\w*$/.test(l.name) || !inFile(l.span)) continue;
      // A receiver's span is its method's; the first `self` of the function is its definition.
      const def = wordAt(source, l.span.offset, l.name) ?? (l.kind === "param" ? findIn(source, f.span, `\\b(${escapeRe(l.name)})\\b`) : undefined);
      if (!def) continue;
      const within = containers.find((c) => c.from <= def.from && def.to <= c.to) ?? containers[containers.length - 1];
      const detail = l.kind === "param" ? (l.name === "self" ? `self: ${showSourceType(l.type)}` : `${l.name}: ${showSourceType(l.type)}`) : `let ${l.mut ? "mut " : ""}${l.name}: ${showSourceType(l.type)}`;
      const sym = add({ kind: l.kind === "param" ? "parameter" : "variable", name: l.name, detail, def, scope: { from: def.from, to: within.to }, members: userKeys(l.type) });
      ref(def, sym);
      localSymbols.set(l.id, sym);
    }

    // References: variables read or written, calls, fields, library methods, type names.
    const libraryRef = (op: string, range: Range | undefined): void => {
      if (range) ref(range, builtinSymbol(op));
    };
    const placeEnd = (e: TExpr | undefined): number | undefined => (e ? spanEnd(e.span) : undefined);
    walkBlock(body, {
      place(p) {
        if (p.kind === "local") {
          const sym = localSymbols.get(p.local);
          if (sym !== undefined) ref(wordAt(source, p.span.offset, symbols[sym].name), sym);
        } else if (p.kind === "field" && p.base.type.kind === "struct") {
          const sym = fieldSymbols.get(p.base.type.name)?.[p.index];
          if (sym !== undefined) ref(memberNameAfter(source, spanEnd(p.base.span), symbols[sym].name), sym);
        }
      },
      expr(e) {
        if (e.kind === "move") {
          const sym = localSymbols.get(e.local);
          if (sym !== undefined) ref(wordAt(source, e.span.offset, symbols[sym].name), sym);
        } else if (e.kind === "call" || e.kind === "fnRef") {
          const sym = fnSymbols.get(e.fn);
          if (sym === undefined) return;
          const name = symbols[sym].name;
          const callee = program.functions[e.fn];
          const receiver = e.kind === "call" && callee.receiver !== undefined ? e.args[0] : undefined;
          const recvEnd = receiver ? (receiver.mode === "mutref" ? spanEnd(receiver.place.span) : placeEnd(receiver.value)) : undefined;
          if (recvEnd !== undefined) ref(memberNameAfter(source, recvEnd, name), sym);
          else {
            // `name(..)` or `Type.name(..)`.
            const m = /^(?:[A-Za-z_]\w*\s*\.\s*)?/.exec(source.slice(e.span.offset, e.span.offset + 200));
            ref(wordAt(source, e.span.offset + (m?.[0].length ?? 0), name) ?? wordAt(source, e.span.offset, name), sym);
          }
        } else if (e.kind === "builtin" && e.receiver) {
          const end = e.receiver.kind === "value" ? spanEnd(e.receiver.value.span) : spanEnd(e.receiver.place.span);
          const method = e.op.split(".").pop() ?? e.op;
          libraryRef(e.op, memberNameAfter(source, end, method));
        } else if (e.kind === "builtin" && !e.op.includes(".")) {
          libraryRef(e.op, wordAt(source, e.span.offset, e.op));
        } else if (e.kind === "struct") {
          const def = program.structs.get(e.struct);
          const sym = def && typeSymbols.get(def.baseName);
          if (sym !== undefined) ref(wordAt(source, e.span.offset, def!.baseName), sym);
        }
      },
    });
  }
  refs.sort((a, b) => a.from - b.from || a.to - b.to);
  return { source, symbols, refs, members };
}

/** Build the index for a program: parse and check again (cheap next to code generation). */
export async function indexSource(source: string, fileName: string, effectsReport: unknown): Promise<CodeIndex | undefined> {
  const [{ parse }, { check }] = await Promise.all([import("../compiler/syntax/parser.js"), import("../compiler/check/index.js")]);
  const parsed = parse(source, fileName);
  if (parsed.diagnostics.some((d) => d.severity === "error")) return undefined;
  const checked = check(parsed.program);
  if (!checked.program || checked.diagnostics.some((d) => d.severity === "error")) return undefined;
  return buildCodeIndex(source, checked.program, effectsReport);
}

/**
 * The index of one file of a program of several files (`active`, a file of `files`): the whole
 * program is merged and checked as compileFiles does, so names from the other modules resolve, and
 * the index is cut down to that file: its positions, and only the definitions, scopes and
 * references inside it (a variable of another file is not offered).
 */
export async function indexProgramFile(files: readonly ProgramFile[], active: number, effectsReport: unknown): Promise<CodeIndex | undefined> {
  const [{ mergeFiles }, { check }] = await Promise.all([import("../compiler/modules/merge.js"), import("../compiler/check/index.js")]);
  const merged = mergeFiles(files);
  if (merged.diagnostics.some((d) => d.severity === "error")) return undefined;
  const checked = check(merged.program);
  if (!checked.program || checked.diagnostics.some((d) => d.severity === "error")) return undefined;
  const placed = merged.layout.files[active];
  if (!placed) return undefined;
  // The merged offsets: each file starts one past the previous one's end (SourceLayout).
  const whole = merged.layout.files.map((f) => f.text).join("\n");
  return fileOfIndex(buildCodeIndex(whole, checked.program, effectsReport), placed.base, placed.text);
}

/** The part of `index` (of a merged program's text) inside the file at `base` whose text is `text`. */
export function fileOfIndex(index: CodeIndex, base: number, text: string): CodeIndex {
  const end = base + text.length;
  const local = (r: Range | undefined): Range | undefined => (r && r.from >= base && r.to <= end ? { from: r.from - base, to: r.to - base } : undefined);
  const symbols = index.symbols.map((s) => {
    const { def, scope, ...rest } = s;
    const out: CodeSymbol = { ...rest };
    const d = local(def);
    const sc = local(scope);
    if (d) out.def = d;
    if (sc) out.scope = sc;
    return out;
  });
  const refs = index.refs.filter((r) => r.from >= base && r.to <= end).map((r) => ({ ...r, from: r.from - base, to: r.to - base }));
  return { source: text, symbols, refs, members: index.members };
}
