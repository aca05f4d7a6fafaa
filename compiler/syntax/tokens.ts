// Token definitions and the Chevrotain lexer for Kāra. Literal tokens use custom matchers
// (literals.ts) because their extent depends on nesting (block comments, f-string holes)
// or on the previous token (`t.0.1` must not lex `0.1` as a float).

import { createToken, Lexer, type ILexingResult, type IToken, type TokenType, type CustomPatternMatcherReturn } from "chevrotain";
import { scanNumber, scanQuoted, scanChar, scanTripleQuoted, scanFString, isIdentChar } from "./literals.js";

function match(text: string, start: number, end: number): CustomPatternMatcherReturn {
  return [text.slice(start, end)] as CustomPatternMatcherReturn;
}

// ------------------------------------------------------------------ categories

// Any word-like token: identifiers and every keyword. Used where karac accepts a keyword
// as a name (after `.`, inside attributes).
export const AnyWord = createToken({ name: "AnyWord", pattern: Lexer.NA });
// Identifiers proper: plain and `r#kw` escaped. Words reserved for future use lex as
// plain identifiers and are reported after lexing, so one mistake gives one diagnostic.
export const Ident = createToken({ name: "Ident", pattern: Lexer.NA, categories: [AnyWord] });
export const Verb = createToken({ name: "Verb", pattern: Lexer.NA, categories: [AnyWord] });
export const BareVerb = createToken({ name: "BareVerb", pattern: Lexer.NA, categories: [AnyWord] });

// ASCII identifiers; non-ASCII letters are swallowed into the same token so that a name
// like `héllo` is one token and one lex error, not three tokens.
const IDENT_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_".split("");
const NON_ASCII_LETTER = /\p{L}|\p{N}/u;
// By character code below 128: IDENT_START_CODE for a letter or `_`, 1 for a digit, 0 otherwise.
const IDENT_START_CODE = 2;
const IDENT_CODE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  IDENT_CODE[c] = isIdentChar(ch) ? (ch >= "0" && ch <= "9" ? 1 : IDENT_START_CODE) : 0;
}
export const Identifier = createToken({
  name: "Identifier",
  line_breaks: false,
  start_chars_hint: IDENT_START,
  categories: [Ident],
  pattern: (text: string, offset: number) => {
    if (IDENT_CODE[text.charCodeAt(offset)] !== IDENT_START_CODE) return null;
    let i = offset + 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c <= 0x7f) {
        if (IDENT_CODE[c] === 0) break;
        i++;
      } else if (c > 0x7f) {
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        if (!NON_ASCII_LETTER.test(ch)) break;
        i += ch.length;
      } else break; // NaN: the end of the text
    }
    // Chevrotain reads the match at once and keeps only the image, so one array serves all.
    identMatch[0] = text.slice(offset, i);
    return identMatch;
  },
});
const identMatch = [""] as unknown as CustomPatternMatcherReturn;
export const RawIdent = createToken({ name: "RawIdent", pattern: /r#[A-Za-z_][A-Za-z0-9_]*/, categories: [Ident] });

// ------------------------------------------------------------------ keywords

export const KEYWORDS = [
  "fn", "struct", "union", "enum", "trait", "marker", "impl", "mod", "use", "import", "const", "type",
  "distinct", "pub", "private", "if", "else", "match", "while", "for", "in", "loop", "return", "break",
  "continue", "defer", "errdefer", "try", "asm", "global_asm", "let", "mut", "and", "or", "not", "own",
  "ref", "weak", "lock", "move", "effect", "resource", "verb", "reads", "writes", "sends", "receives",
  "allocates", "panics", "blocks", "suspends", "with", "transparent", "stable", "seq", "par", "yield", "as",
  "where", "dyn", "requires", "ensures", "invariant", "unsafe", "extern", "shared", "layout", "group",
  "comptime", "true", "false", "alias", "independent", "self", "Self",
] as const;

export const RESERVED_WORDS = ["gen", "become", "do", "final", "override", "priv", "typeof", "virtual", "async", "await", "pure", "box"];

const RESOURCE_VERBS = new Set(["reads", "writes", "sends", "receives", "allocates"]);
const BARE_VERBS = new Set(["panics", "blocks", "suspends"]);

// Keywords are not matched by the lexer: a word lexes as an Identifier and the words that are
// keywords get their keyword token type afterwards (lexWords), one map lookup per word instead
// of trying each keyword's pattern that starts with the same letter.
export const KW: Record<string, TokenType> = {};
for (const k of KEYWORDS) {
  const categories = [AnyWord];
  if (RESOURCE_VERBS.has(k)) categories.push(Verb);
  if (BARE_VERBS.has(k)) categories.push(BareVerb);
  KW[k] = createToken({ name: `Kw_${k}`, pattern: Lexer.NA, categories });
}
const KEYWORD_BY_WORD = new Map<string, TokenType>(Object.entries(KW));
export const Underscore = createToken({ name: "Underscore", pattern: /_/, longer_alt: Identifier });

// ------------------------------------------------------------------ trivia

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  group: "comments",
  line_breaks: true,
  start_chars_hint: ["/"],
  pattern: (text: string, offset: number) => {
    if (!text.startsWith("/*", offset)) return null;
    let depth = 0;
    let i = offset;
    while (i < text.length) {
      if (text.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (text.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth === 0) return match(text, offset, i);
      } else i++;
    }
    return match(text, offset, text.length); // unterminated: reported after lexing
  },
});

// ------------------------------------------------------------------ literals

// (Tokens carry no endOffset while lexing: lexWords adds it afterwards.)
const afterDot = (tokens: IToken[], offset: number): boolean => {
  const last = tokens[tokens.length - 1];
  return last !== undefined && last.tokenType === Dot && last.startOffset + last.image.length === offset;
};

export const FloatLit = createToken({
  name: "FloatLit",
  line_breaks: false,
  start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  pattern: (text: string, offset: number, tokens: IToken[]) => {
    const s = scanNumber(text, offset, afterDot(tokens, offset));
    return s && s.isFloat ? match(text, offset, s.end) : null;
  },
});
export const IntLit = createToken({
  name: "IntLit",
  line_breaks: false,
  start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  pattern: (text: string, offset: number, tokens: IToken[]) => {
    const s = scanNumber(text, offset, afterDot(tokens, offset));
    return s && !s.isFloat ? match(text, offset, s.end) : null;
  },
});
export const TripleString = createToken({
  name: "TripleString",
  line_breaks: true,
  start_chars_hint: ['"'],
  pattern: (text: string, offset: number) => (text.startsWith('"""', offset) ? match(text, offset, scanTripleQuoted(text, offset).end) : null),
});
export const StringLit = createToken({
  name: "StringLit",
  line_breaks: true,
  start_chars_hint: ['"'],
  pattern: (text: string, offset: number) => (text[offset] === '"' ? match(text, offset, scanQuoted(text, offset, '"').end) : null),
});
// Prefixed literals must come before identifiers: `f"`, `b"`, `b'`, `c"`.
export const FStringLit = createToken({
  name: "FStringLit",
  line_breaks: true,
  start_chars_hint: ["f"],
  pattern: (text: string, offset: number) =>
    text[offset] === "f" && text[offset + 1] === '"' ? match(text, offset, scanFString(text, offset + 1).end) : null,
});
export const ByteStringLit = createToken({
  name: "ByteStringLit",
  line_breaks: true,
  start_chars_hint: ["b"],
  pattern: (text: string, offset: number) =>
    text[offset] === "b" && text[offset + 1] === '"' ? match(text, offset, scanQuoted(text, offset + 1, '"').end) : null,
});
export const CStringLit = createToken({
  name: "CStringLit",
  line_breaks: true,
  start_chars_hint: ["c"],
  pattern: (text: string, offset: number) =>
    text[offset] === "c" && text[offset + 1] === '"' ? match(text, offset, scanQuoted(text, offset + 1, '"').end) : null,
});
export const ByteLit = createToken({
  name: "ByteLit",
  line_breaks: false,
  start_chars_hint: ["b"],
  pattern: (text: string, offset: number) =>
    text[offset] === "b" && text[offset + 1] === "'" ? match(text, offset, scanChar(text, offset + 1).end) : null,
});
export const CharLit = createToken({
  name: "CharLit",
  line_breaks: false,
  start_chars_hint: ["'"],
  pattern: (text: string, offset: number) => (text[offset] === "'" ? match(text, offset, scanChar(text, offset).end) : null),
});

// ------------------------------------------------------------------ punctuation

const p = (name: string, pattern: RegExp): TokenType => createToken({ name, pattern });

export const DotDotEq = p("DotDotEq", /\.\.=/);
export const DotDotDot = p("DotDotDot", /\.\.\./);
export const DotDot = p("DotDot", /\.\./);
export const Dot = p("Dot", /\./);
export const QuestionDot = p("QuestionDot", /\?\./);
export const QuestionQuestion = p("QuestionQuestion", /\?\?/);
export const Question = p("Question", /\?/);
export const PipeGt = p("PipeGt", /\|>/);
export const PipePipe = p("PipePipe", /\|\|/);
export const PipeEq = p("PipeEq", /\|=/);
export const Pipe = p("Pipe", /\|/);
export const AmpAmp = p("AmpAmp", /&&/);
export const AmpEq = p("AmpEq", /&=/);
export const Amp = p("Amp", /&/);
export const ColonColon = p("ColonColon", /::/);
export const Colon = p("Colon", /:/);
export const Semi = p("Semi", /;/);
export const Comma = p("Comma", /,/);
export const Arrow = p("Arrow", /->/);
export const FatArrow = p("FatArrow", /=>/);
export const EqEq = p("EqEq", /==/);
export const NotEq = p("NotEq", /!=/);
export const Bang = p("Bang", /!/);
export const ShlEq = p("ShlEq", /<<=/);
export const Shl = p("Shl", /<</);
export const LtEq = p("LtEq", /<=/);
export const Lt = p("Lt", /</);
export const ShrEq = p("ShrEq", />>=/);
export const Shr = p("Shr", />>/);
export const GtEq = p("GtEq", />=/);
export const Gt = p("Gt", />/);
export const PlusEq = p("PlusEq", /\+=/);
export const Plus = p("Plus", /\+/);
export const MinusEq = p("MinusEq", /-=/);
export const Minus = p("Minus", /-/);
export const StarEq = p("StarEq", /\*=/);
export const Star = p("Star", /\*/);
export const SlashEq = p("SlashEq", /\/=/);
export const Slash = p("Slash", /\//);
export const PercentEq = p("PercentEq", /%=/);
export const Percent = p("Percent", /%/);
export const CaretEq = p("CaretEq", /\^=/);
export const Caret = p("Caret", /\^/);
export const Tilde = p("Tilde", /~/);
export const Eq = p("Eq", /=/);
export const LParen = p("LParen", /\(/);
export const RParen = p("RParen", /\)/);
export const LBracket = p("LBracket", /\[/);
export const RBracket = p("RBracket", /\]/);
export const LBrace = p("LBrace", /\{/);
export const RBrace = p("RBrace", /\}/);
export const Hash = p("Hash", /#/);
export const At = p("At", /@/);

// Order matters: longer/prefixed forms first.
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  FloatLit,
  IntLit,
  TripleString,
  StringLit,
  FStringLit,
  ByteStringLit,
  CStringLit,
  ByteLit,
  CharLit,
  RawIdent,
  ...Object.values(KW),
  Underscore,
  Identifier,
  DotDotEq, DotDotDot, DotDot, QuestionDot, Dot, QuestionQuestion, Question,
  PipeGt, PipePipe, PipeEq, Pipe, AmpAmp, AmpEq, Amp, ColonColon, Colon, Semi, Comma,
  Arrow, FatArrow, EqEq, NotEq, Bang, ShlEq, Shl, LtEq, Lt, ShrEq, Shr, GtEq, Gt,
  PlusEq, Plus, MinusEq, Minus, StarEq, Star, SlashEq, Slash, PercentEq, Percent,
  CaretEq, Caret, Tilde, Eq, LParen, RParen, LBracket, RBracket, LBrace, RBrace, Hash, At,
  // categories (no pattern) are listed so the parser knows them
  AnyWord, Ident, Verb, BareVerb,
];

// `ensureOptimizations` makes building the lexer fail if any token would turn off the lexer's
// first-character optimisation. The pattern validations cost more than the rest of building the
// lexer, so the compiler skips them; grammar.validation.test.ts builds it with them on.
// Tokens record offsets only: nothing reads a token's line or column (spans come from offsets
// through SourceMap), and line tracking made every token twice as large and the lexer slower.
export const LEXER_CONFIG = { positionTracking: "onlyOffset", ensureOptimizations: true } as const;
const KaraLexer = new Lexer(allTokens, { ...LEXER_CONFIG, skipValidations: true });

// Offsets of the tokens that start a line (column 1, counting lines as a line-tracking lexer
// does), for the one place that asks: error recovery skipping to the next item. Built on demand
// by a second lexer, so the offset-only lexer stays the only one on the happy path.
let lineTrackingLexer: Lexer | undefined;
export function lineStartTokenOffsets(text: string): Set<number> {
  lineTrackingLexer ??= new Lexer(allTokens, { ...LEXER_CONFIG, positionTracking: "full", skipValidations: true });
  const out = new Set<number>();
  for (const t of lineTrackingLexer.tokenize(text).tokens) if (t.startColumn === 1) out.add(t.startOffset);
  return out;
}

// Chevrotain's offset-only token has no `endOffset`, and adding it to every token afterwards gave
// each token a second allocation (an out-of-object property store). The lexer therefore builds
// the tokens itself, with `endOffset` (offset of the last character) in the object from the
// start, and gives an identifier that spells a keyword its keyword type right away (one map
// lookup per word, instead of trying each keyword's pattern). `createTokenInstance` is the
// lexer's per-token factory (chevrotain 11); were it ever missing, lexWords completes the
// tokens in a second pass instead.
function makeLexedToken(image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType): IToken {
  if (tokenType === Identifier) {
    const kw = KEYWORD_BY_WORD.get(image);
    if (kw !== undefined) return { image, startOffset, endOffset: startOffset + image.length - 1, tokenTypeIdx: kw.tokenTypeIdx!, tokenType: kw };
  }
  return { image, startOffset, endOffset: startOffset + image.length - 1, tokenTypeIdx, tokenType };
}
const lexerInternals = KaraLexer as unknown as { createTokenInstance?: unknown };
const buildsOwnTokens = typeof lexerInternals.createTokenInstance === "function";
if (buildsOwnTokens) lexerInternals.createTokenInstance = makeLexedToken;

// Lexes `text`; identifiers that spell a keyword become that keyword's token, and every token
// and comment carries its `endOffset`.
export function lexWords(text: string): ILexingResult {
  const r = KaraLexer.tokenize(text);
  if (buildsOwnTokens) return r;
  const tokens = r.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    t.endOffset = t.startOffset + t.image.length - 1;
    if (t.tokenType !== Identifier) continue;
    const kw = KEYWORD_BY_WORD.get(t.image);
    if (kw) {
      t.tokenType = kw;
      t.tokenTypeIdx = kw.tokenTypeIdx!;
    }
  }
  const comments = r.groups.comments;
  if (comments) for (let i = 0; i < comments.length; i++) comments[i].endOffset = comments[i].startOffset + comments[i].image.length - 1;
  return r;
}

export { isIdentChar };
