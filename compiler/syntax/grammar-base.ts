// The Kāra grammar, shared part: token display names and error messages, token sets,
// operator precedence, and the parser base class with per-parse state and node helpers.

import { EmbeddedActionsParser, EOF, tokenMatcher, type IToken, type TokenType, type IParserErrorMessageProvider, type IOrAlt, type ParserMethod } from "chevrotain";
import * as T from "./tokens.js";
import { KW } from "./tokens.js";
import type * as A from "./ast.js";
import type { Diagnostic, Fix } from "../diagnostics.js";
import { SourceMap } from "./source.js";
import { shownSource } from "./quote.js";
import { SyntaxCodes as C } from "./codes.js";
import { LL1Lookahead } from "./lookahead.js";
import { checkIdentClass, type IdentClass } from "./names.js";
import type { LitProblem } from "./literals.js";

export type AnyNode = A.NodeBase & Record<string, unknown>;

// A hole of an f-string waiting to be parsed once the enclosing parse is done (the
// parser is not re-entrant). `start`/`end` are absolute offsets of the expression text.
export interface PendingHole {
  hole: A.FStringHole;
  start: number;
  end: number;
}

// ------------------------------------------------------------------ token display

export const DISPLAY: Map<TokenType, string> = new Map();
for (const t of T.allTokens) {
  const pat = t.PATTERN;
  if (pat instanceof RegExp && /^[^a-zA-Z[]+$/.test(pat.source.replace(/\\/g, ""))) DISPLAY.set(t, `\`${pat.source.replace(/\\/g, "")}\``);
}
for (const [k, t] of Object.entries(KW)) DISPLAY.set(t, `\`${k}\``);
DISPLAY.set(T.Ident, "an identifier");
DISPLAY.set(T.Identifier, "an identifier");
DISPLAY.set(T.AnyWord, "a name");
DISPLAY.set(T.Verb, "an effect verb");
DISPLAY.set(T.BareVerb, "an effect verb");
DISPLAY.set(T.IntLit, "an integer literal");
DISPLAY.set(T.FloatLit, "a float literal");
DISPLAY.set(T.StringLit, "a string literal");
DISPLAY.set(T.Underscore, "`_`");
DISPLAY.set(EOF, "end of file");

export function displayToken(t: TokenType): string {
  return DISPLAY.get(t) ?? t.name;
}

export function found(tok: IToken): string {
  if (tok.tokenType === EOF) return "end of file";
  return `\`${shownSource(tok.image, 20)}\``;
}

const KEYWORD_TYPES = new Set<TokenType>(Object.values(KW));

/** `let group = 1;`: a keyword where a name could stand (and the keyword itself could not). */
function keywordAsName(tok: IToken | undefined, expected: TokenType[]): string | undefined {
  if (!tok || !KEYWORD_TYPES.has(tok.tokenType)) return undefined;
  if (!expected.includes(T.Ident) || expected.some((t) => tokenMatcher(tok, t))) return undefined;
  return `\`${tok.image}\` is a keyword and cannot be used as a name`;
}

export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return keywordAsName(actual, [expected]) ?? `expected ${displayToken(expected)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${found(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName, expectedPathsPerAlt }) {
    const tok = actual[0];
    const firstTypes = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]).filter((t) => t !== undefined));
    const keyword = keywordAsName(tok, firstTypes);
    if (keyword) return keyword;
    const firsts = [...new Set(firstTypes.map(displayToken))];
    const what = RULE_WHAT[ruleName] ?? (firsts.length > 0 && firsts.length <= 4 ? firsts.join(" or ") : "syntax");
    return `expected ${what}, found ${tok ? found(tok) : "end of file"}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const tok = actual[0];
    const what = RULE_WHAT[ruleName] ?? "syntax";
    return `expected ${what}, found ${tok ? found(tok) : "end of file"}`;
  },
};

export const RULE_WHAT: Record<string, string> = {
  item: "an item (fn, struct, enum, impl, trait, const, let, type, effect, import)",
  primary: "an expression",
  unary: "an expression",
  expr: "an expression",
  postfix: "an expression",
  blockLike: "an expression",
  litExpr: "a literal",
  pathPattern: "a pattern",
  pattern: "a pattern",
  namedType: "a type",
  typeArg: "a type",
  assignOp: "an assignment operator",
  type: "a type",
  patAtom: "a pattern",
  stmt: "a statement",
  effectItem: "an effect item",
  literal: "a literal",
};

// ------------------------------------------------------------------ token sets

// The name a word token spells: `r#fn` spells `fn`.
export const word = (tok: IToken): string => (tok.tokenType === T.RawIdent ? tok.image.slice(2) : tok.image);

export const isTok = (tok: IToken, t: TokenType): boolean => tokenMatcher(tok, t);

export const EXPR_START: TokenType[] = [
  T.IntLit, T.FloatLit, T.StringLit, T.TripleString, T.FStringLit, T.CharLit, T.ByteLit, T.ByteStringLit, T.CStringLit,
  T.Ident, KW.self, KW.Self, T.Underscore, T.LParen, T.LBracket, T.LBrace, T.Minus, KW.not, T.Tilde, T.Star, T.Bang,
  T.Pipe, T.PipePipe, KW.if, KW.match, KW.while, KW.loop, KW.for, KW.return, KW.break, KW.continue, KW.par, KW.seq,
  KW.lock, KW.own, KW.ref, KW.mut, T.DotDot, T.DotDotEq, KW.true, KW.false, KW.unsafe,
];
export const BLOCK_LIKE_START: TokenType[] = [KW.if, KW.match, KW.while, KW.loop, KW.for, T.LBrace, KW.par, KW.seq, KW.lock, KW.unsafe];
export const LOOP_KW: TokenType[] = [KW.for, KW.while, KW.loop, T.LBrace];
export const ASSIGN_OPS: TokenType[] = [T.Eq, T.PlusEq, T.MinusEq, T.StarEq, T.SlashEq, T.PercentEq, T.AmpEq, T.PipeEq, T.CaretEq, T.ShlEq, T.ShrEq];
// The tokens of the `literal` rule.
export const LITERAL_TOKENS: TokenType[] = [T.IntLit, T.FloatLit, T.StringLit, T.TripleString, T.FStringLit, T.CharLit, T.ByteLit, T.ByteStringLit, T.CStringLit, KW.true, KW.false];
export const LIT_START: TokenType[] = [T.IntLit, T.FloatLit, T.CharLit, T.ByteLit, T.StringLit, T.TripleString, T.ByteStringLit, KW.true, KW.false, T.Minus];
export const BLOCK_LIKE_KINDS = new Set(["block", "if", "ifLet", "while", "whileLet", "loop", "for", "match", "par", "seq", "lock"]);

// Binary operator precedence, loosest first (core.md F7). `||`/`&&` parse as `or`/`and`
// with a diagnostic.
export const PREC_TABLE: [TokenType[], number][] = [
  [[T.PipeGt], 1],
  [[T.QuestionQuestion], 2],
  [[KW.or, T.PipePipe], 3],
  [[KW.and, T.AmpAmp], 4],
  [[T.EqEq, T.NotEq, T.Lt, T.LtEq, T.Gt, T.GtEq], 5],
  [[T.Pipe], 6],
  [[T.Caret], 7],
  [[T.Amp], 8],
  [[T.Shl, T.Shr], 9],
  [[T.Plus, T.Minus], 10],
  [[T.Star, T.Slash, T.Percent], 11],
];
export const CMP_PREC = 5;

// Deepest nesting accepted where the parser itself does not recurse (runs of `(` and
// `else if` chains). Beyond it the item is rejected like one that overflows the call stack
// (E0059), which protects the later phases: they walk the tree recursively.
export const MAX_NESTING = 5000;

export class NestingLimitError extends Error {}
export const PRECEDENCE = new Map<TokenType, number>(PREC_TABLE.flatMap(([ts, p]) => ts.map((t) => [t, p] as [TokenType, number])));
export const BINARY_OPS: TokenType[] = PREC_TABLE.flatMap(([ts]) => ts);
export const OP_NAME = new Map<TokenType, A.BinaryOp>([
  [KW.or, "or"],
  [T.PipePipe, "or"],
  [KW.and, "and"],
  [T.AmpAmp, "and"],
]);

// Wraps a grammar callback (ALT / GATE / DEF) created on every rule invocation. A function
// written directly as an object property gets that property's name, and loaders that keep
// function names (esbuild `keepNames`, as used by tsx) then add an Object.defineProperty call
// per callback per invocation, which made parsing several times slower. A function passed as
// an argument is not named, so this identity wrapper keeps the callbacks cheap everywhere.
export const unnamed = <F extends (...args: never[]) => unknown>(f: F): F => f;

// A plain loop: `ts.some(..)` allocated a closure on every call, and this runs for most tokens.
export const oneOf = (tok: IToken, ts: TokenType[]): boolean => {
  for (let i = 0; i < ts.length; i++) if (tokenMatcher(tok, ts[i])) return true;
  return false;
};

// ------------------------------------------------------------------ the parser

// The parts of Chevrotain's parser that leanRuleCalls uses (public at run time, not typed).
interface LeanRuleHost {
  definedRulesNames: string[];
  fullRuleNameToShort: Record<string, number>;
  subruleIdx: number;
  ruleInvocationStateUpdate(shortName: number, fullName: string, idxInCallingRule: number): void;
  ruleFinallyStateUpdate(): void;
  [rule: string]: unknown;
}

// Parser state and helpers shared by every rule layer. Rule layers extend each other
// (types → patterns → expressions → statements → items); rules a lower layer needs from
// a higher one are declared abstract here and resolved when the grammar is recorded.
export abstract class KaraBase extends EmbeddedActionsParser {
  abstract expr: ParserMethod<[pre?: { expr: A.Expr; start: number }], A.Expr>;
  abstract block: ParserMethod<[], A.Block>;

  // per-parse state (reset by begin())
  map: SourceMap = new SourceMap("");
  nextId = 1;
  noStruct = false;
  labels: string[] = [];
  holes: PendingHole[] = [];
  custom: Diagnostic[] = [];
  /** Suffixed literals one past a signed maximum (`128i8`), by node id, with their range diagnostic. */
  protected negatableLiterals = new Map<number, Diagnostic>();
  inCast = false; // parsing the type after `as`
  overflowed = false; // a stack overflow was caught; the instance should be replaced
  // Shortcut mode (see README "Two parsers"): hot rules decide from the next token with plain
  // code instead of Chevrotain's OR / MANY machinery. Only set on the instance built without
  // error recovery; any syntax error it meets sends the whole parse to the recovering instance.
  shortcuts = false;

  // `validate` runs Chevrotain's grammar validations while the grammar is analysed. They cost
  // more than the rest of the analysis, so the compiler skips them and a test runs them
  // (grammar.validation.test.ts).
  constructor(recovery: boolean, validate = false) {
    super(T.allTokens, { recoveryEnabled: recovery, maxLookahead: 1, skipValidations: !validate, errorMessageProvider: messages, lookaheadStrategy: new LL1Lookahead() });
  }

  // For the instance without error recovery: every rule called through SUBRULE or core() keeps
  // Chevrotain's rule-stack bookkeeping (lookahead functions are looked up by the current rule)
  // but drops the rest of Chevrotain's wrapper — a rest-parameter array and `apply` per call,
  // and the catch that only matters for recovery or for the outermost rule (which keeps
  // Chevrotain's wrapper: it is entered through the rule property itself, not `coreRule`).
  // Without recovery that catch only rethrows, so an error propagates exactly as before.
  protected leanRuleCalls(): void {
    const self = this as unknown as LeanRuleHost;
    for (const name of self.definedRulesNames) {
      const rule = self[name] as { originalGrammarAction: (this: KaraBase, a?: unknown, b?: unknown) => unknown; coreRule: unknown };
      const impl = rule.originalGrammarAction;
      const shortName = self.fullRuleNameToShort[name];
      if (typeof impl !== "function" || typeof shortName !== "number") continue;
      // By the rule's arity, so a call passes no unused arguments (a frame per nesting level).
      // A rule's first parameter therefore takes no default value (it would make `length` 0).
      rule.coreRule =
        impl.length === 0
          ? function leanRule(this: LeanRuleHost): unknown {
              this.ruleInvocationStateUpdate(shortName, name, this.subruleIdx);
              try {
                return impl.call(this as unknown as KaraBase);
              } finally {
                this.ruleFinallyStateUpdate();
              }
            }
          : function leanRuleWithArgs(this: LeanRuleHost, a?: unknown, b?: unknown): unknown {
              this.ruleInvocationStateUpdate(shortName, name, this.subruleIdx);
              try {
                return impl.call(this as unknown as KaraBase, a, b);
              } finally {
                this.ruleFinallyStateUpdate();
              }
            };
    }
  }

  // A rule's body with Chevrotain's per-rule bookkeeping but without SUBRULE's two call frames,
  // for rule calls in shortcut mode: call it as `this.core(this.expr).call(this)`. Nesting depth
  // is bounded by the call stack, and most of a nesting level's frames were SUBRULE plumbing.
  // (Calling `this.expr()` itself would run it as a top-level parse.)
  protected core<Args extends unknown[], R>(rule: ParserMethod<Args, R>): (this: KaraBase, ...args: Args) => R {
    return (rule as unknown as { coreRule: (this: KaraBase, ...args: Args) => R }).coreRule;
  }

  /** Offsets of tokens that start a line, computed when error recovery first asks (see startsLine). */
  private lineStarts?: Set<number>;

  /** Whether `tok` (a token of the whole file) is the first on its line. */
  protected startsLine(tok: IToken): boolean {
    return (this.lineStarts ??= T.lineStartTokenOffsets(this.map.text)).has(tok.startOffset);
  }

  begin(map: SourceMap): void {
    this.map = map;
    this.lineStarts = undefined;
    this.nextId = 1;
    this.noStruct = false;
    this.labels = [];
    this.holes = [];
    this.custom = [];
    this.negatableLiterals.clear();
    this.inCast = false;
  }

  /**
   * Where the node a rule is about to parse starts: `this.ACTION(() => this.startOf())` without
   * allocating a closure on every rule call. While the grammar is recorded it gives undefined, as
   * ACTION does, so recording never reads a token.
   */
  protected here(): number {
    return this.RECORDING_PHASE ? (undefined as unknown as number) : this.startOf();
  }

  protected startOf(): number {
    const t = this.LA(1);
    return Number.isFinite(t.startOffset) ? t.startOffset : this.map.text.length;
  }

  protected endOf(start: number): number {
    const t = this.LA(0);
    if (t && Number.isFinite(t.endOffset) && (t.endOffset as number) + 1 >= start) return (t.endOffset as number) + 1;
    return start;
  }

  // Completes the node in place: every caller passes a fresh object literal, and copying it into
  // a new object (`{ id, span, ...fields }`) took a generic runtime path and doubled the
  // allocation of every node. Later phases never depend on the order of a node's keys.
  mk<Tn extends object>(start: number, fields: Tn): Tn & A.NodeBase {
    const node = fields as Tn & A.NodeBase;
    node.id = this.nextId++;
    node.span = this.map.range(start, this.endOf(start));
    return node;
  }

  protected tokSpan(tok: IToken): A.Span {
    if (!Number.isFinite(tok.startOffset)) return this.map.span(this.startOf(), 0);
    return this.map.range(tok.startOffset, (tok.endOffset ?? tok.startOffset) + 1);
  }

  // Placeholders left by error recovery, so the tree never holds `undefined` where a
  // node is required.
  protected ph(): A.NodeBase {
    return { id: this.nextId++, span: this.map.span(this.startOf(), 0) };
  }

  protected phIdent(): A.Ident {
    return { ...this.ph(), name: "" };
  }

  protected phType(): A.TypeExpr {
    return { ...this.ph(), kind: "infer" };
  }

  protected errExpr(): A.Expr {
    return { id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "error" };
  }

  report(code: string, message: string, span: A.Span, extra?: { notes?: string[]; fixes?: Fix[] }): void {
    // Literal problems are found while building literal nodes but belong to the lexer.
    const phase = code < "E0020" ? "lex" : "parse";
    const d: Diagnostic = { code, severity: "error", phase, message, span, ...extra };
    this.custom.push(d);
  }

  protected checkClass(id: A.Ident, cls: IdentClass, what: string): void {
    const msg = checkIdentClass(id.name, cls, what);
    if (msg) this.report(C.IdentClass, msg, id.span);
  }

  /** `-128i8`: the literal's magnitude was out of range only until negated. */
  protected withdrawRangeProblem(literalId: number): void {
    const d = this.negatableLiterals.get(literalId);
    if (!d) return;
    this.negatableLiterals.delete(literalId);
    const i = this.custom.indexOf(d);
    if (i >= 0) this.custom.splice(i, 1);
  }

  protected litProblems(tok: IToken, problems: LitProblem[]): void {
    for (const p of problems) this.report(p.code, p.message, this.map.span(tok.startOffset + p.offset, p.length));
  }

  protected canStartExpr(): boolean {
    const t = this.LA(1);
    if (this.noStruct && isTok(t, T.LBrace)) return false;
    return oneOf(t, EXPR_START);
  }

  // Alternatives after an element of a `{ a, b }` list: a comma, the closing brace, or —
  // when the next element starts right away — a reported missing comma.
  protected separator(nextStarts: TokenType[]): IOrAlt<unknown>[] {
    return [
      { ALT: unnamed(() => this.CONSUME(T.Comma)) },
      { GATE: unnamed(() => isTok(this.LA(1), T.RBrace)), ALT: unnamed(() => this.LA(1)) },
      {
        GATE: unnamed(() => oneOf(this.LA(1), nextStarts)),
        ALT: unnamed(() =>
          this.ACTION(() => {
            const prev = this.LA(0);
            this.report(C.MissingComma, `expected \`,\` before ${found(this.LA(1))}`, this.map.span((prev.endOffset ?? 0) + 1, 0));
          })),
      },
    ];
  }
}
