// Maps between the program's source and its WebAssembly text. Per function: the compiler writes
// a site table into every module (compiler/abi.ts SITE_TABLE_SECTION: each wasm function's source
// name and declaration line, for fault messages); the text names each function `(func $symbol`.
// From the two: which wasm function the editor's cursor is in, and which source line a place in
// the text belongs to. Lifted functions (a `par` branch, a task body: `main$par1`) are mapped to
// the line they were lifted from. Per line: when the text is asked for, the code generator records
// each statement's position and the printer writes it as `;;@ file:line:column` before the
// statement's expression; `watLocations` reads those, `watSegments` gives each stretch of text to
// the innermost position around it, so a line's own instructions are known, and the source line of
// an instruction. Text outside any statement keeps the function-level mapping.

import { SITE_TABLE_SECTION, type SiteTable } from "../compiler/abi.js";

/** A function in the wasm text: its symbol and where its `(func …)` form is (UTF-16 offsets, 1-based lines). */
export interface WatFunction {
  symbol: string;
  from: number;
  to: number;
  line: number;
}

/** A wasm function of the program's own, and the source lines it was generated from. */
export interface SourceFunction {
  symbol: string;
  name: string;
  line: number;
  endLine: number;
  /** Lifted out of another function (a `par` branch, a task body). */
  lifted: boolean;
  /** A program of several files: the file the function is in (the site table names it). */
  file?: string;
}

function readU32(bytes: Uint8Array, at: { pos: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (at.pos >= bytes.length) throw new Error("truncated module");
    const b = bytes[at.pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
    shift += 7;
    if (shift > 35) throw new Error("bad LEB128");
  }
}

/** The contents of the first custom section called `name`, read from the module's bytes. */
export function customSection(bytes: Uint8Array, name: string): Uint8Array | undefined {
  if (bytes.length < 8) return undefined;
  const at = { pos: 8 }; // magic and version
  const decoder = new TextDecoder();
  try {
    while (at.pos < bytes.length) {
      const id = bytes[at.pos++];
      const size = readU32(bytes, at);
      const end = at.pos + size;
      if (id === 0) {
        const nameLength = readU32(bytes, at);
        const sectionName = decoder.decode(bytes.subarray(at.pos, at.pos + nameLength));
        if (sectionName === name) return bytes.subarray(at.pos + nameLength, end);
      }
      at.pos = end;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export function readSiteTable(wasm: Uint8Array | undefined): SiteTable | undefined {
  const section = wasm && customSection(wasm, SITE_TABLE_SECTION);
  if (!section) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(section)) as SiteTable;
  } catch {
    return undefined;
  }
}

/** Every `(func $name …)` at the top level of a module's text (Binaryen prints one per line start). */
export function watFunctions(wat: string): WatFunction[] {
  const found: WatFunction[] = [];
  const head = /^ \(func \$(\S+)/gm;
  const starts: { symbol: string; from: number }[] = [];
  for (let m = head.exec(wat); m; m = head.exec(wat)) starts.push({ symbol: unescapeName(m[1]), from: m.index + 1 });
  let line = 1;
  let counted = 0;
  starts.forEach((s, i) => {
    for (let k = counted; k < s.from; k++) if (wat.charCodeAt(k) === 10) line++;
    counted = s.from;
    // A function ends where the next top-level form starts (or the module closes).
    const nextForm = /\n \(/g;
    nextForm.lastIndex = s.from;
    const next = i + 1 < starts.length ? starts[i + 1].from - 1 : (nextForm.exec(wat)?.index ?? wat.length);
    found.push({ symbol: s.symbol, from: s.from, to: Math.max(s.from, next), line });
  });
  return found.filter((f) => !/^\(func \$\S+ \(import/.test(wat.slice(f.from, f.from + 200)));
}

/** Binaryen escapes some characters in names (`\24` for `$`…): the site table has them plain. */
function unescapeName(name: string): string {
  return name.replace(/\\([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The source lines of each of the program's wasm functions: a declared function runs from its
 * line to the brace closing the first block opened there; a lifted one covers its own line.
 * `source` is the program's text, or for a program of several files each file's text by the name
 * the site table gives it.
 */
export function sourceFunctions(table: SiteTable, source: string | ((file: string) => string | undefined)): SourceFunction[] {
  const starts = new Map<string, { text: string; starts: number[] }>();
  const textOf = (file: string | undefined): { text: string; starts: number[] } => {
    const key = file ?? "";
    let known = starts.get(key);
    if (!known) {
      const text = typeof source === "string" ? source : (file === undefined ? undefined : source(file)) ?? "";
      const lineStarts: number[] = [0];
      for (const l of text.split("\n")) lineStarts.push(lineStarts[lineStarts.length - 1] + l.length + 1);
      known = { text, starts: lineStarts };
      starts.set(key, known);
    }
    return known;
  };
  const out: SourceFunction[] = [];
  for (const [symbol, [name, line, file]] of Object.entries(table.functions)) {
    if (symbol.startsWith("__")) continue; // the main task's wrapper stands for main
    const lifted = symbol.includes("$");
    const own = textOf(file);
    const endLine = lifted ? line : closingLine(own.text, own.starts[line - 1] ?? own.text.length, own.starts);
    out.push({ symbol, name, line, endLine: Math.max(line, endLine), lifted, ...(file === undefined ? {} : { file }) });
  }
  return out.sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || a.line - b.line || a.endLine - b.endLine);
}

/** Whether a place named by the site table or a `;;@` position is in `file` (any place when `file` is undefined). */
export function inFile(place: string | undefined, file: string | undefined): boolean {
  return file === undefined || place === undefined || place === file || place.endsWith(`/${file}`);
}

/** The line of the brace closing the first `{` at or after `from`, skipping strings, chars and comments. */
function closingLine(source: string, from: number, lineStarts: number[]): number {
  let depth = 0;
  let opened = false;
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      let nest = 1;
      i += 2;
      while (i < source.length && nest > 0) {
        if (source[i] === "/" && source[i + 1] === "*") (nest++, (i += 2));
        else if (source[i] === "*" && source[i + 1] === "/") (nest--, (i += 2));
        else i++;
      }
      continue;
    }
    if (c === '"') {
      i++;
      while (i < source.length && source[i] !== '"') i += source[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (c === "'" && /^'(\\.[^']*|[^'\\])'/.test(source.slice(i, i + 12))) {
      i = source.indexOf("'", i + 2) + 1;
      continue;
    }
    if (c === "{") (depth++, (opened = true));
    else if (c === "}" && opened && --depth === 0) return lineOf(i, lineStarts);
    i++;
  }
  return lineOf(source.length, lineStarts);
}

function lineOf(offset: number, lineStarts: number[]): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The innermost of the program's functions covering source line `line` (of `file`, in a program of several files). */
export function functionAtLine(functions: readonly SourceFunction[], line: number, file?: string): SourceFunction | undefined {
  let best: SourceFunction | undefined;
  for (const f of functions) {
    if (line < f.line || line > f.endLine || !inFile(f.file, file)) continue;
    if (!best || f.endLine - f.line < best.endLine - best.line || (f.endLine - f.line === best.endLine - best.line && f.lifted)) best = f;
  }
  return best;
}

/** The wasm function whose text contains `offset`. */
export function watFunctionAt(functions: readonly WatFunction[], offset: number): WatFunction | undefined {
  return functions.find((f) => offset >= f.from && offset < f.to);
}

/** A source position recorded in the text (`;;@ file:line:column`) and the expression it precedes (UTF-16 offsets). */
export interface WatLocation {
  file: string;
  line: number;
  column: number;
  from: number;
  to: number;
}

/**
 * Every located expression of a module's text, in text order. The printer writes the position
 * on the line before the expression; a bare `;;@` (no position) precedes an expression that has
 * none, which then belongs to whatever encloses it. One pass, tracking open parentheses.
 */
export function watLocations(wat: string): WatLocation[] {
  const found: WatLocation[] = [];
  const open: (WatLocation | undefined)[] = [];
  let pending: WatLocation | undefined;
  const annotation = /;;@ (.+):(\d+):(\d+)$/my;
  let i = 0;
  while (i < wat.length) {
    const c = wat[i];
    if (c === ";" && wat[i + 1] === ";") {
      annotation.lastIndex = i;
      const m = annotation.exec(wat);
      if (m) pending = { file: m[1], line: Number(m[2]), column: Number(m[3]), from: 0, to: 0 };
      const end = wat.indexOf("\n", i);
      i = end < 0 ? wat.length : end;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < wat.length && wat[i] !== '"') i += wat[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (c === "(" && wat[i + 1] === ";") {
      const end = wat.indexOf(";)", i + 2);
      i = end < 0 ? wat.length : end + 2;
      continue;
    }
    if (c === "(") {
      if (pending) {
        pending.from = i;
        found.push(pending);
      }
      open.push(pending);
      pending = undefined;
    } else if (c === ")") {
      const closed = open.pop();
      if (closed) closed.to = i + 1;
    } else if (pending && c !== " " && c !== "\n" && c !== "\t") {
      // An instruction printed without parentheses: the position covers its line.
      const end = wat.indexOf("\n", i);
      found.push({ ...pending, from: i, to: end < 0 ? wat.length : end });
      pending = undefined;
    }
    i++;
  }
  return found.filter((l) => l.to > l.from);
}

/** A stretch of the text owned by one source position: the innermost located expression around it. */
export type WatSegment = WatLocation;

/** The text cut into segments, each owned by the innermost located expression covering it, in text order. */
export function watSegments(locations: readonly WatLocation[]): WatSegment[] {
  const segments: WatSegment[] = [];
  const stack: WatLocation[] = [];
  let cursor = 0;
  const emit = (owner: WatLocation, to: number): void => {
    if (to > cursor) segments.push({ ...owner, from: cursor, to });
    cursor = Math.max(cursor, to);
  };
  const sorted = [...locations].sort((a, b) => a.from - b.from || b.to - a.to);
  for (const loc of sorted) {
    while (stack.length > 0 && stack[stack.length - 1].to <= loc.from) {
      const done = stack.pop()!;
      emit(done, done.to);
    }
    if (stack.length > 0) emit(stack[stack.length - 1], loc.from);
    cursor = Math.max(cursor, loc.from);
    stack.push(loc);
  }
  while (stack.length > 0) {
    const top = stack.pop()!;
    emit(top, top.to);
  }
  return segments;
}

/**
 * The text ranges generated for source line `line` (of `file`, in a program of several files): its
 * segments, neighbours separated only by blanks joined.
 */
export function rangesOfLine(segments: readonly WatSegment[], text: string, line: number, file?: string): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  for (const s of segments) {
    if (s.line !== line || !inFile(s.file, file)) continue;
    const last = ranges[ranges.length - 1];
    if (last && /^\s*$/.test(text.slice(last.to, s.from))) last.to = s.to;
    else ranges.push({ from: s.from, to: s.to });
  }
  return ranges;
}

/** The segment holding text offset `offset`, if a source position covers it. */
export function segmentAt(segments: readonly WatSegment[], offset: number): WatSegment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].to <= offset) lo = mid + 1;
    else if (segments[mid].from > offset) hi = mid - 1;
    else return segments[mid];
  }
  return undefined;
}
