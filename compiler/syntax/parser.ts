// Entry points of the syntax phase: parse() turns source text into a Program plus
// diagnostics and never throws; tokenize() exposes the token stream (for highlighting).

import { EOF, type IToken, type IRecognitionException, type ILexingError } from "chevrotain";
import type { Program, TestDecl } from "./ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { lexWords, BlockComment, Semi, RBrace, LBrace, Identifier, RESERVED_WORDS } from "./tokens.js";
import { KaraGrammar } from "./grammar.js";
import { NestingLimitError } from "./grammar-base.js";
import { SourceMap } from "./source.js";
import { shownSource } from "./quote.js";
import { SyntaxCodes as C } from "./codes.js";

export { SyntaxCodes } from "./codes.js";

const RESERVED = new Set(RESERVED_WORDS);

// Two parser instances, each built once (construction analyses the whole grammar) and reused:
// a fast one without error recovery that takes shortcuts on hot rules, and a recovering one
// that is only used when the fast one met a syntax error (see README "Two parsers").
let fastShared: KaraGrammar | undefined;
let recoveringShared: KaraGrammar | undefined;

function grammar(recovering: boolean): KaraGrammar {
  if (recovering) return (recoveringShared ??= new KaraGrammar(true));
  return (fastShared ??= new KaraGrammar(false));
}

function discard(g: KaraGrammar): void {
  if (g === fastShared) fastShared = undefined;
  if (g === recoveringShared) recoveringShared = undefined;
}

export type TokenCategory = "keyword" | "identifier" | "number" | "string" | "comment" | "punctuation";

export interface SyntaxToken {
  type: string; // Chevrotain token name: "Kw_fn", "Identifier", "IntLit", "LineComment", ...
  category: TokenCategory; // coarse class for highlighting
  offset: number;
  length: number;
}

function categoryOf(type: string): TokenCategory {
  if (type.startsWith("Kw_") || type === "Underscore") return type === "Kw_true" || type === "Kw_false" ? "number" : "keyword";
  if (type === "Identifier" || type === "RawIdent") return "identifier";
  if (type === "IntLit" || type === "FloatLit") return "number";
  if (type.endsWith("Comment")) return "comment";
  if (/String|CharLit|ByteLit/.test(type)) return "string";
  return "punctuation";
}

// Tokens and comments in source order. Unlexable characters are skipped.
export function tokenize(source: string): SyntaxToken[] {
  try {
    const r = lexWords(source);
    const all = [...r.tokens, ...(r.groups.comments ?? [])].sort((a, b) => a.startOffset - b.startOffset);
    return all.map((t) => ({ type: t.tokenType.name, category: categoryOf(t.tokenType.name), offset: t.startOffset, length: t.image.length }));
  } catch {
    return [];
  }
}

interface LexOutput {
  tokens: IToken[];
  diagnostics: Diagnostic[];
}

// Lexes `text`, which starts at absolute offset `base` of the file.
function lex(text: string, base: number, map: SourceMap): LexOutput {
  const r = lexWords(text);
  const diagnostics: Diagnostic[] = [];
  const tokens = r.tokens;
  if (base !== 0) {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      t.startOffset += base;
      t.endOffset = (t.endOffset ?? t.startOffset) + base;
    }
  }
  for (const e of r.errors) diagnostics.push(lexErrorDiagnostic(e, text, base, map));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.tokenType === Identifier && /[^\x00-\x7f]/.test(t.image)) {
      diagnostics.push(err(C.UnexpectedChar, "lex", `identifier \`${shownSource(t.image)}\` contains non-ASCII characters; identifiers are ASCII only`, map.span(t.startOffset, t.image.length)));
    }
    if (t.tokenType === Identifier && RESERVED.has(t.image)) {
      diagnostics.push(err(C.ReservedWord, "lex", `\`${t.image}\` is reserved for future use`, map.span(t.startOffset, t.image.length)));
    }
  }
  for (const c of r.groups.comments ?? []) {
    if (c.tokenType === BlockComment && !c.image.endsWith("*/")) {
      diagnostics.push(err(C.UnterminatedComment, "lex", "unterminated block comment", map.span(c.startOffset + base, 2)));
    } else if (c.tokenType === BlockComment && blockDepthUnbalanced(c.image)) {
      diagnostics.push(err(C.UnterminatedComment, "lex", "unterminated block comment", map.span(c.startOffset + base, 2)));
    }
  }
  return { tokens, diagnostics };
}

function blockDepthUnbalanced(image: string): boolean {
  let depth = 0;
  for (let i = 0; i < image.length; i++) {
    if (image.startsWith("/*", i)) {
      depth++;
      i++;
    } else if (image.startsWith("*/", i)) {
      depth--;
      i++;
    }
  }
  return depth !== 0;
}

function lexErrorDiagnostic(e: ILexingError, text: string, base: number, map: SourceMap): Diagnostic {
  const ch = String.fromCodePoint(text.codePointAt(e.offset) ?? 63);
  const nonAscii = ch.charCodeAt(0) > 0x7f;
  const message = nonAscii
    ? `unexpected character \`${shownSource(ch)}\`: identifiers and code outside strings are ASCII only`
    : `unexpected character \`${shownSource(ch)}\``;
  return err(C.UnexpectedChar, "lex", message, map.span(base + e.offset, e.length));
}

function err(code: string, phase: "lex" | "parse", message: string, span: Diagnostic["span"]): Diagnostic {
  return { code, severity: "error", phase, message, span };
}

function parseErrorDiagnostic(e: IRecognitionException, map: SourceMap, lastTokenEnd: number, inHole: boolean): Diagnostic {
  const tok = e.token;
  const atEof = !tok || tok.tokenType === EOF || !Number.isFinite(tok.startOffset);
  let span = atEof ? map.span(lastTokenEnd, 0) : map.span(tok.startOffset, tok.image.length);
  let message = e.message;
  // A missing `;` belongs right after the previous token, not at the next line's token.
  const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  if (message.startsWith("expected `;`") && prev && Number.isFinite(prev.endOffset)) {
    span = map.span((prev.endOffset as number) + 1, 0);
  }
  if (inHole && atEof) message = message.replace(/found end of file$/, "found the end of the `{...}` hole");
  const code = message.startsWith("expected `;`") ? C.MissingSemicolon : C.Syntax;
  return err(code, "parse", message, span);
}

const KEYWORD_AS_NAME = / is a keyword and cannot be used as a name$/;

// `let group = 1; println(group);`: once a keyword was reported where a name stood, an error at a
// later use of the same word says the same thing, not "expected `)`, found `group`".
function sameKeywordAsName(errors: Diagnostic[], source: string): Diagnostic[] {
  const words = new Set<string>();
  return errors.map((d) => {
    const word = source.slice(d.span.offset, d.span.offset + d.span.length);
    if (KEYWORD_AS_NAME.test(d.message)) words.add(word);
    else if (words.has(word)) return { ...d, message: `\`${word}\` is a keyword and cannot be used as a name` };
    return d;
  });
}

// Drops follow-on errors: after a reported syntax error, further syntax errors up to the
// end of that statement (next `;` or `}`) are consequences of the first.
function suppressCascades(errors: Diagnostic[], tokens: IToken[]): Diagnostic[] {
  const sorted = [...errors].sort((a, b) => a.span.offset - b.span.offset);
  const out: Diagnostic[] = [];
  let regionEnd = -1;
  for (const d of sorted) {
    if (d.span.offset <= regionEnd) continue;
    out.push(d);
    regionEnd = statementEnd(tokens, d.span.offset);
  }
  return out;
}

// Drops syntax errors inside a statement that contains a stray character (the stray is
// the real mistake), and all but the first stray of a statement.
function preferStrays(errors: Diagnostic[], strays: Diagnostic[], tokens: IToken[], dropped: Set<Diagnostic>): Diagnostic[] {
  if (strays.length === 0) return errors;
  const regions: [number, number][] = [];
  for (const s of [...strays].sort((a, b) => a.span.offset - b.span.offset)) {
    const last = regions[regions.length - 1];
    if (last && s.span.offset <= last[1]) {
      dropped.add(s);
      continue;
    }
    regions.push([statementStart(tokens, s.span.offset), statementEnd(tokens, s.span.offset)]);
  }
  return errors.filter((e) => !regions.some(([a, b]) => e.span.offset >= a && e.span.offset <= b));
}

function statementStart(tokens: IToken[], offset: number): number {
  let i = firstTokenAtOrAfter(tokens, offset) - 1;
  for (; i >= 0; i--) {
    const t = tokens[i].tokenType;
    if (t === Semi || t === LBrace || t === RBrace) return tokens[i].endOffset ?? tokens[i].startOffset;
  }
  return 0;
}

function firstTokenAtOrAfter(tokens: IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function statementEnd(tokens: IToken[], offset: number): number {
  let depth = 0;
  for (let i = firstTokenAtOrAfter(tokens, offset); i < tokens.length; i++) {
    const t = tokens[i].tokenType;
    if (t === LBrace) depth++;
    if (t === RBrace) {
      if (depth === 0) return tokens[i].startOffset;
      depth--;
    }
    if (t === Semi && depth === 0) return tokens[i].startOffset;
  }
  return Number.MAX_SAFE_INTEGER;
}

export function parse(source: string, fileName: string): { program: Program; diagnostics: Diagnostic[] } {
  const map = new SourceMap(source);
  const fast = parseWith(grammar(false), source, fileName, map);
  if (fast.clean) return fast.result;
  return parseWith(grammar(true), source, fileName, map).result;
}

// The recovering instance alone: what parse() falls back to after a syntax error. Exposed so
// tests can check that both instances build the same tree for valid programs.
export function parseWithRecovery(source: string, fileName: string): { program: Program; diagnostics: Diagnostic[] } {
  return parseWith(grammar(true), source, fileName, new SourceMap(source)).result;
}

// The fast instance alone, and whether it parsed without meeting a syntax error (when it did,
// parse() would have used the recovering instance). Exposed so tests can check that valid
// programs never need the second parse.
export function parseWithoutRecovery(source: string, fileName: string): { program: Program; diagnostics: Diagnostic[]; clean: boolean } {
  const r = parseWith(grammar(false), source, fileName, new SourceMap(source));
  return { ...r.result, clean: r.clean };
}

// One parse with instance `g`. `clean` is false when the parser itself met a syntax error
// (Chevrotain's own errors, a stack overflow or an internal failure); diagnostics found by
// grammar actions and the lexer do not make a parse unclean, since both instances find
// them the same way.
function parseWith(g: KaraGrammar, source: string, fileName: string, map: SourceMap): { result: { program: Program; diagnostics: Diagnostic[] }; clean: boolean } {
  const program: Program = { file: fileName, source, items: [] };
  const diagnostics: Diagnostic[] = [];
  let clean = true;
  try {
    g.begin(map);
    const main = lex(source, 0, map);
    diagnostics.push(...main.diagnostics);
    const lastEnd = (toks: IToken[]) => (toks.length ? (toks[toks.length - 1].endOffset ?? 0) + 1 : 0);

    g.input = main.tokens;
    // `test "name" { .. }` blocks come back from the item rule; they are kept apart from items.
    const all = g.program() as (Program["items"][number] | TestDecl)[];
    program.items = all.filter((it): it is Program["items"][number] => it.kind !== "test");
    const tests = all.filter((it): it is TestDecl => it.kind === "test");
    if (tests.length) program.tests = tests;
    if (g.errors.length > 0) clean = false;
    // Missing `;`/`,` found by the grammar itself are cascade-prone like Chevrotain's errors.
    const soft = (d: Diagnostic) => d.code === C.MissingSemicolon || d.code === C.MissingComma;
    const mainSoft = g.custom.filter(soft);
    g.custom = g.custom.filter((d) => !soft(d));
    const chevrotainErrors = sameKeywordAsName(g.errors.map((e) => parseErrorDiagnostic(e, map, lastEnd(main.tokens), false)), source).concat(mainSoft);
    const strays = main.diagnostics.filter((d) => d.code === C.UnexpectedChar);
    const dropped = new Set<Diagnostic>();
    let parseErrors = suppressCascades(preferStrays(chevrotainErrors, strays, main.tokens, dropped), main.tokens);

    // f-string holes, possibly nested: each is a separate token stream parsed as one expression.
    for (let i = 0; i < g.holes.length; i++) {
      const h = g.holes[i];
      const hl = lex(source.slice(h.start, h.end), h.start, map);
      diagnostics.push(...hl.diagnostics);
      if (hl.tokens.length === 0) continue;
      g.input = hl.tokens;
      h.hole.expr = g.holeExpr();
      if (g.errors.length > 0) clean = false;
      const holeSoft = g.custom.filter(soft);
      g.custom = g.custom.filter((d) => !soft(d));
      const errs = g.errors.map((e) => parseErrorDiagnostic(e, map, lastEnd(hl.tokens), true)).concat(holeSoft);
      const holeStrays = hl.diagnostics.filter((d) => d.code === C.UnexpectedChar);
      parseErrors = parseErrors.concat(suppressCascades(preferStrays(errs, holeStrays, hl.tokens, dropped), hl.tokens));
    }

    if (g.overflowed) {
      clean = false;
      discard(g); // internal state may be inconsistent after unwinding
    }
    for (let i = diagnostics.length - 1; i >= 0; i--) if (dropped.has(diagnostics[i])) diagnostics.splice(i, 1);
    // Our own diagnostics are precise; a generic syntax error on the same spot is dropped.
    const customAt = new Set(g.custom.map((d) => d.span.offset));
    const lexAt = new Set(diagnostics.map((d) => d.span.offset));
    diagnostics.push(...g.custom);
    // An unterminated string or comment swallows the rest of the file; what the parser
    // says about that rest is noise.
    const swallowed = Math.min(
      ...diagnostics.filter((d) => d.code === C.UnterminatedString || d.code === C.UnterminatedComment).map((d) => d.span.offset),
    );
    for (const d of parseErrors) {
      if (customAt.has(d.span.offset) || lexAt.has(d.span.offset) || d.span.offset >= swallowed) continue;
      diagnostics.push(d);
    }
  } catch (e) {
    // A bug in the parser must not take the compiler down: report it and return what we have.
    const message = e instanceof RangeError || e instanceof NestingLimitError ? "the program is nested too deeply to parse" : `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
    diagnostics.push(err(C.Internal, "parse", message, map.span(0, 0)));
    clean = false;
    discard(g); // rebuild the parser next time in case its state is corrupt
  }
  diagnostics.sort((a, b) => a.span.offset - b.span.offset);
  return { result: { program, diagnostics }, clean };
}
