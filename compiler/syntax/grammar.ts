// The Kāra grammar as a Chevrotain embedded-actions parser. Rules build AST nodes directly
// (inside ACTION so the grammar-recording pass never touches real data). Context that
// Chevrotain's LL(k) lookahead cannot see — the struct-literal restriction in conditions,
// which identifiers are loop labels — lives in parser fields and is read by GATEs.

import { EmbeddedActionsParser, EOF, tokenMatcher, isRecognitionException, type IToken, type TokenType, type IParserErrorMessageProvider, type IOrAlt } from "chevrotain";
import * as T from "./tokens.js";
import { KW } from "./tokens.js";
import type * as A from "./ast.js";
import type { Diagnostic, Fix } from "../diagnostics.js";
import { SourceMap } from "./source.js";
import { SyntaxCodes as C } from "./codes.js";
import { checkIdentClass, identClass, type IdentClass } from "./names.js";
import { decodeInt, decodeFloat, decodeStringBody, decodeCharLiteral, scanQuoted, type LitProblem } from "./literals.js";
import { splitFString } from "./fstring.js";
import { markMut, pathOf, exprToTypeArg } from "./treeutil.js";

type AnyNode = A.NodeBase & Record<string, unknown>;

// A hole of an f-string waiting to be parsed once the enclosing parse is done (the
// parser is not re-entrant). `start`/`end` are absolute offsets of the expression text.
export interface PendingHole {
  hole: A.FStringHole;
  start: number;
  end: number;
}

// ------------------------------------------------------------------ token display

const DISPLAY: Map<TokenType, string> = new Map();
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

function found(tok: IToken): string {
  if (tok.tokenType === EOF) return "end of file";
  const img = tok.image.length > 20 ? tok.image.slice(0, 20) + "…" : tok.image;
  return `\`${img}\``;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${displayToken(expected)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${found(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName, expectedPathsPerAlt }) {
    const tok = actual[0];
    const firsts = [...new Set(expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]).filter((t) => t !== undefined).map(displayToken)))];
    const what = RULE_WHAT[ruleName] ?? (firsts.length > 0 && firsts.length <= 4 ? firsts.join(" or ") : "syntax");
    return `expected ${what}, found ${tok ? found(tok) : "end of file"}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const tok = actual[0];
    const what = RULE_WHAT[ruleName] ?? "syntax";
    return `expected ${what}, found ${tok ? found(tok) : "end of file"}`;
  },
};

const RULE_WHAT: Record<string, string> = {
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
const word = (tok: IToken): string => (tok.tokenType === T.RawIdent ? tok.image.slice(2) : tok.image);

const isTok = (tok: IToken, t: TokenType): boolean => tokenMatcher(tok, t);

const EXPR_START: TokenType[] = [
  T.IntLit, T.FloatLit, T.StringLit, T.TripleString, T.FStringLit, T.CharLit, T.ByteLit, T.ByteStringLit, T.CStringLit,
  T.Ident, KW.self, KW.Self, T.Underscore, T.LParen, T.LBracket, T.LBrace, T.Minus, KW.not, T.Tilde, T.Star, T.Bang,
  T.Pipe, T.PipePipe, KW.if, KW.match, KW.while, KW.loop, KW.for, KW.return, KW.break, KW.continue, KW.par, KW.seq,
  KW.lock, KW.own, KW.ref, KW.mut, T.DotDot, T.DotDotEq, KW.true, KW.false, KW.unsafe,
];
const BLOCK_LIKE_START: TokenType[] = [KW.if, KW.match, KW.while, KW.loop, KW.for, T.LBrace, KW.par, KW.seq, KW.lock, KW.unsafe];
const LOOP_KW: TokenType[] = [KW.for, KW.while, KW.loop, T.LBrace];
const ASSIGN_OPS: TokenType[] = [T.Eq, T.PlusEq, T.MinusEq, T.StarEq, T.SlashEq, T.PercentEq, T.AmpEq, T.PipeEq, T.CaretEq, T.ShlEq, T.ShrEq];
const LIT_START: TokenType[] = [T.IntLit, T.FloatLit, T.CharLit, T.ByteLit, T.StringLit, T.TripleString, T.ByteStringLit, KW.true, KW.false, T.Minus];
const BLOCK_LIKE_KINDS = new Set(["block", "if", "ifLet", "while", "whileLet", "loop", "for", "match", "par", "seq", "lock"]);

// Binary operator precedence, loosest first (core.md F7). `||`/`&&` parse as `or`/`and`
// with a diagnostic.
const PREC_TABLE: [TokenType[], number][] = [
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
const CMP_PREC = 5;
const PRECEDENCE = new Map<TokenType, number>(PREC_TABLE.flatMap(([ts, p]) => ts.map((t) => [t, p] as [TokenType, number])));
const BINARY_OPS: TokenType[] = PREC_TABLE.flatMap(([ts]) => ts);
const OP_NAME = new Map<TokenType, A.BinaryOp>([
  [KW.or, "or"],
  [T.PipePipe, "or"],
  [KW.and, "and"],
  [T.AmpAmp, "and"],
]);

const oneOf = (tok: IToken, ts: TokenType[]): boolean => ts.some((t) => tokenMatcher(tok, t));

// ------------------------------------------------------------------ the parser

export class KaraGrammar extends EmbeddedActionsParser {
  // per-parse state (reset by begin())
  map: SourceMap = new SourceMap("");
  nextId = 1;
  noStruct = false;
  labels: string[] = [];
  holes: PendingHole[] = [];
  custom: Diagnostic[] = [];

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 1, skipValidations: true, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  begin(map: SourceMap): void {
    this.map = map;
    this.nextId = 1;
    this.noStruct = false;
    this.labels = [];
    this.holes = [];
    this.custom = [];
  }

  // ---------------------------------------------------------------- helpers (runtime only)

  private startOf(): number {
    const t = this.LA(1);
    return Number.isFinite(t.startOffset) ? t.startOffset : this.map.text.length;
  }

  private endOf(start: number): number {
    const t = this.LA(0);
    if (t && Number.isFinite(t.endOffset) && (t.endOffset as number) + 1 >= start) return (t.endOffset as number) + 1;
    return start;
  }

  mk<Tn extends object>(start: number, fields: Tn): Tn & A.NodeBase {
    return { id: this.nextId++, span: this.map.range(start, this.endOf(start)), ...fields };
  }

  private tokSpan(tok: IToken): A.Span {
    if (!Number.isFinite(tok.startOffset)) return this.map.span(this.startOf(), 0);
    return this.map.range(tok.startOffset, (tok.endOffset ?? tok.startOffset) + 1);
  }

  // Placeholders left by error recovery, so the tree never holds `undefined` where a
  // node is required.
  private ph(): A.NodeBase {
    return { id: this.nextId++, span: this.map.span(this.startOf(), 0) };
  }

  private phIdent(): A.Ident {
    return { ...this.ph(), name: "" };
  }

  private phType(): A.TypeExpr {
    return { ...this.ph(), kind: "infer" };
  }

  private errExpr(): A.Expr {
    return { id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "error" };
  }

  report(code: string, message: string, span: A.Span, extra?: { notes?: string[]; fixes?: Fix[] }): void {
    // Literal problems are found while building literal nodes but belong to the lexer.
    const phase = code < "E0020" ? "lex" : "parse";
    const d: Diagnostic = { code, severity: "error", phase, message, span, ...extra };
    this.custom.push(d);
  }

  private checkClass(id: A.Ident, cls: IdentClass, what: string): void {
    const msg = checkIdentClass(id.name, cls, what);
    if (msg) this.report(C.IdentClass, msg, id.span);
  }

  private litProblems(tok: IToken, problems: LitProblem[]): void {
    for (const p of problems) this.report(p.code, p.message, this.map.span(tok.startOffset + p.offset, p.length));
  }

  private canStartExpr(): boolean {
    const t = this.LA(1);
    if (this.noStruct && isTok(t, T.LBrace)) return false;
    return oneOf(t, EXPR_START);
  }

  // ---------------------------------------------------------------- program

  public program = this.RULE("program", (): A.Item[] => {
    const items: A.Item[] = [];
    if (this.RECORDING_PHASE) {
      this.MANY(() => this.SUBRULE(this.item));
      return items;
    }
    let junkReported = false;
    while (this.LA(1).tokenType !== EOF) {
      const before = this.LA(1);
      if (this.itemAhead()) {
        // Leftovers of an item that already had a syntax error are not reported again.
        const errorsBefore = this.errors.length;
        junkReported = false;
        try {
          const it = this.SUBRULE(this.item);
          if (it) items.push(it);
          junkReported = this.errors.length > errorsBefore;
        } catch (e) {
          // A broken item signature: the error is already recorded; skip to the next
          // item that starts a line and go on.
          if (!isRecognitionException(e as Error)) throw e;
          this.skipToNextItem(before);
          continue;
        }
      }
      if (this.LA(1) === before) {
        if (!junkReported) {
          this.report(C.BadItem, `expected an item (fn, struct, enum, impl, trait, const, let, type, effect, import), found ${found(before)}`, this.tokSpan(before));
          junkReported = true;
        }
        this.SKIP_TOKEN();
      }
    }
    return items;
  }, { recoveryValueFunc: () => [] });

  // Alternatives after an element of a `{ a, b }` list: a comma, the closing brace, or —
  // when the next element starts right away — a reported missing comma.
  private separator(nextStarts: TokenType[]): IOrAlt<unknown>[] {
    return [
      { ALT: () => this.CONSUME(T.Comma) },
      { GATE: () => isTok(this.LA(1), T.RBrace), ALT: () => this.LA(1) },
      {
        GATE: () => oneOf(this.LA(1), nextStarts),
        ALT: () =>
          this.ACTION(() => {
            const prev = this.LA(0);
            this.report(C.MissingComma, `expected \`,\` before ${found(this.LA(1))}`, this.map.span((prev.endOffset ?? 0) + 1, 0));
          }),
      },
    ];
  }

  private skipToNextItem(from: IToken): void {
    if (this.LA(1) === from) this.SKIP_TOKEN();
    while (this.LA(1).tokenType !== EOF && !(this.itemAhead() && this.LA(1).startColumn === 1 && !isTok(this.LA(1), KW.let))) this.SKIP_TOKEN();
  }

  private itemAhead(): boolean {
    return oneOf(this.LA(1), [
      T.Hash, KW.pub, KW.private, KW.fn, KW.struct, KW.enum, KW.shared, KW.par, KW.impl, KW.trait, KW.const, KW.let,
      KW.type, KW.distinct, KW.effect, KW.transparent, KW.resource, KW.import,
    ]);
  }

  // Entry for an f-string hole: one expression and nothing else.
  public holeExpr = this.RULE("holeExpr", (): A.Expr => {
    const e = this.SUBRULE(this.expr);
    return e;
  }, { recoveryValueFunc: () => this.errExpr() });

  // ---------------------------------------------------------------- items

  public item = this.RULE("item", (): A.Item | undefined => {
    const start = this.ACTION(() => this.startOf());
    const attrs: A.Attribute[] = [];
    this.MANY(() => {
      attrs.push(this.SUBRULE(this.attribute));
    });
    let pub = false;
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(KW.pub) }, { ALT: () => this.CONSUME(KW.private) }]);
      pub = true;
    });
    const it = this.OR2([
      { ALT: () => this.SUBRULE(this.fnDecl) as A.Item },
      { GATE: () => this.structAhead(), ALT: () => this.SUBRULE(this.structDecl) as A.Item },
      { GATE: () => this.enumAhead(), ALT: () => this.SUBRULE(this.enumDecl) as A.Item },
      { ALT: () => this.SUBRULE(this.implDecl) as A.Item },
      { ALT: () => this.SUBRULE(this.traitDecl) as A.Item },
      { ALT: () => this.SUBRULE(this.constDecl) as A.Item },
      { ALT: () => this.SUBRULE(this.letItem) as A.Item },
      { ALT: () => this.SUBRULE(this.typeAliasDecl) as A.Item },
      { ALT: () => this.SUBRULE(this.effectDecl) as A.Item },
      { ALT: () => this.SUBRULE(this.resourceDecl) as A.Item },
      { ALT: () => this.SUBRULE(this.importDecl) as A.Item },
    ]);
    return this.ACTION(() => {
      if (!it) return undefined;
      const n = it as unknown as AnyNode;
      if ("attrs" in n) n.attrs = attrs;
      if ("pub" in n) n.pub = pub;
      n.span = this.map.range(start, this.endOf(start));
      return it;
    });
  }, { recoveryValueFunc: () => undefined, resyncEnabled: false });

  private structAhead(): boolean {
    const t1 = this.LA(1);
    if (isTok(t1, KW.struct)) return true;
    return (isTok(t1, KW.shared) || isTok(t1, KW.par)) && isTok(this.LA(2), KW.struct);
  }

  private enumAhead(): boolean {
    const t1 = this.LA(1);
    if (isTok(t1, KW.enum)) return true;
    return (isTok(t1, KW.shared) || isTok(t1, KW.par)) && isTok(this.LA(2), KW.enum);
  }

  public attribute = this.RULE("attribute", (): A.Attribute => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(T.Hash);
    this.CONSUME(T.LBracket);
    let name = this.CONSUME(T.AnyWord).image;
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.ColonColon) }, { ALT: () => this.CONSUME(T.Dot) }]);
      name += "::" + this.CONSUME2(T.AnyWord).image;
    });
    const args: string[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({
        SEP: T.Comma,
        DEF: () => {
          let w = this.SUBRULE(this.attrWord);
          this.OPTION2(() => {
            this.CONSUME(T.Eq);
            w += "=" + this.SUBRULE2(this.attrWord);
          });
          args.push(w);
        },
      });
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.RBracket);
    return this.ACTION(() => this.mk(start, { name, args }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), name: "", args: [] }) });

  public attrWord = this.RULE("attrWord", (): string => {
    return this.OR([
      { ALT: () => this.CONSUME(T.AnyWord).image },
      { ALT: () => this.CONSUME(T.StringLit).image },
      { ALT: () => this.CONSUME(T.IntLit).image },
    ]);
  }, { recoveryValueFunc: () => "" });

  public ident = this.RULE("ident", (): A.Ident => {
    const tok = this.CONSUME(T.Ident);
    return this.ACTION(() => {
      const name = word(tok);
      return { id: this.nextId++, span: this.tokSpan(tok), name };
    });
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), name: "" }) });

  // A member name after `.`: any word (keywords included) or a tuple index.
  public memberName = this.RULE("memberName", (): A.Ident => {
    const tok = this.OR([{ ALT: () => this.CONSUME(T.AnyWord) }, { ALT: () => this.CONSUME(T.IntLit) }]);
    return this.ACTION(() => {
      const name = word(tok);
      return { id: this.nextId++, span: this.tokSpan(tok), name };
    });
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), name: "" }) });

  public fnDecl = this.RULE("fnDecl", (): A.FnDecl => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.fn);
    const name = this.SUBRULE(this.ident);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => {
      generics = this.SUBRULE(this.genericParams);
    });
    this.CONSUME(T.LParen);
    let receiver: A.Receiver | undefined;
    const params: A.Param[] = [];
    this.OPTION2(() => {
      this.OR([
        { ALT: () => { receiver = this.SUBRULE(this.receiver); } },
        { ALT: () => { params.push(this.SUBRULE(this.param)); } },
      ]);
      this.MANY({
        GATE: () => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RParen),
        DEF: () => {
          this.CONSUME(T.Comma);
          params.push(this.SUBRULE2(this.param));
        },
      });
      this.OPTION3(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
    let ret: A.TypeExpr | undefined;
    this.OPTION4(() => {
      this.CONSUME(T.Arrow);
      ret = this.SUBRULE(this.type);
    });
    let effects: A.EffectClause | undefined;
    this.OPTION5({
      GATE: () => this.effectClauseAhead(),
      DEF: () => {
        effects = this.SUBRULE(this.effectClause, { ARGS: [true] });
      },
    });
    this.MANY2(() => this.SUBRULE(this.contractClause));
    let body: A.Block | undefined;
    this.OR2([
      { ALT: () => { body = this.SUBRULE(this.block); } },
      { ALT: () => { this.CONSUME(T.Semi); } },
    ]);
    return this.ACTION(() => {
      this.checkClass(name, "value", "function");
      for (const p of params) this.checkClass(p.name, "value", "parameter");
      return this.mk(start, { kind: "fn" as const, name, pub: false, attrs: [], generics, receiver, params, ret, effects, body });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.FnDecl });

  // `requires e`, `ensures e`, `where T: Bound, ...` after a signature. They are checked
  // by no later phase yet, so they are parsed (for error reporting) but not kept.
  public contractClause = this.RULE("contractClause", (): void => {
    this.OR([
      { ALT: () => { this.CONSUME(KW.requires); this.SUBRULE(this.condExpr); } },
      { ALT: () => { this.CONSUME(KW.ensures); this.SUBRULE2(this.condExpr); } },
      {
        ALT: () => {
          this.CONSUME(KW.where);
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              this.SUBRULE(this.type);
              this.CONSUME(T.Colon);
              this.SUBRULE2(this.type);
              this.MANY(() => {
                this.CONSUME(T.Plus);
                this.SUBRULE3(this.type);
              });
            },
          });
        },
      },
    ]);
  });

  public receiver = this.RULE("receiver", (): A.Receiver => {
    return this.OR([
      { ALT: () => { this.CONSUME(KW.self); return "self" as A.Receiver; } },
      { ALT: () => { this.CONSUME(KW.ref); this.CONSUME2(KW.self); return "ref" as A.Receiver; } },
      { ALT: () => { this.CONSUME(KW.mut); this.CONSUME2(KW.ref); this.CONSUME3(KW.self); return "mutref" as A.Receiver; } },
      {
        // `&self` / `&mut self`: Rust spelling, reported with a fix
        ALT: () => {
          const amp = this.CONSUME(T.Amp);
          let mut = false;
          this.OPTION(() => {
            this.CONSUME4(KW.mut);
            mut = true;
          });
          this.CONSUME4(KW.self);
          this.ACTION(() => this.ampHint(amp, mut, "receivers are written `ref self` / `mut ref self`"));
          return (mut ? "mutref" : "ref") as A.Receiver;
        },
      },
    ]);
  }, { recoveryValueFunc: () => "self" as A.Receiver });

  public param = this.RULE("param", (): A.Param => {
    const start = this.ACTION(() => this.startOf());
    const name = this.SUBRULE(this.ident);
    this.CONSUME(T.Colon);
    let mode: A.ParamMode = "owned";
    this.OPTION(() => {
      this.OR([
        { ALT: () => { this.CONSUME(KW.ref); mode = "ref"; } },
        { GATE: () => isTok(this.LA(2), KW.ref), ALT: () => { this.CONSUME(KW.mut); this.CONSUME2(KW.ref); mode = "mutref"; } },
        { ALT: () => { this.CONSUME2(KW.mut); mode = "mutslice"; } },
      ]);
    });
    const type = this.SUBRULE(this.type);
    let defaultValue: A.Expr | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Eq);
      defaultValue = this.SUBRULE(this.expr);
    });
    return this.ACTION(() => this.mk(start, { name, mode, type, defaultValue }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), name: this.phIdent(), mode: "owned" as A.ParamMode, type: this.phType() }) });

  public genericParams = this.RULE("genericParams", (): A.GenericParam[] => {
    const out: A.GenericParam[] = [];
    let effectMode = false;
    this.CONSUME(T.LBracket);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const start = this.ACTION(() => this.startOf());
        this.OPTION(() => {
          this.CONSUME(KW.with);
          effectMode = true;
        });
        const name = this.SUBRULE(this.ident);
        const bounds: A.TypeExpr[] = [];
        this.OPTION2(() => {
          this.CONSUME(T.Colon);
          bounds.push(this.SUBRULE(this.type));
          this.MANY(() => {
            this.CONSUME(T.Plus);
            bounds.push(this.SUBRULE2(this.type));
          });
        });
        this.ACTION(() => out.push(this.mk(start, { name: name.name, bounds, isEffectVar: effectMode })));
      },
    });
    this.CONSUME(T.RBracket);
    return out;
  }, { recoveryValueFunc: () => [] });

  public structDecl = this.RULE("structDecl", (): A.StructDecl => {
    const start = this.ACTION(() => this.startOf());
    let flavor: A.StructFlavor = "plain";
    this.OPTION(() => {
      this.OR([
        { ALT: () => { this.CONSUME(KW.shared); flavor = "shared"; } },
        { ALT: () => { this.CONSUME(KW.par); flavor = "par"; } },
      ]);
    });
    this.CONSUME(KW.struct);
    const name = this.SUBRULE(this.ident);
    let generics: A.GenericParam[] = [];
    this.OPTION2(() => {
      generics = this.SUBRULE(this.genericParams);
    });
    const fields = this.SUBRULE(this.fieldList);
    return this.ACTION(() => {
      this.checkClass(name, "type", "struct");
      return this.mk(start, { kind: "struct" as const, name, pub: false, flavor, attrs: [], generics, fields });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.StructDecl });

  public fieldList = this.RULE("fieldList", (): A.FieldDecl[] => {
    const fields: A.FieldDecl[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      fields.push(this.SUBRULE(this.fieldDecl));
      this.OR(this.separator([T.Ident, KW.pub, KW.mut, T.Hash]));
    });
    this.CONSUME(T.RBrace);
    return fields;
  }, { recoveryValueFunc: () => [] });

  public fieldDecl = this.RULE("fieldDecl", (): A.FieldDecl => {
    const start = this.ACTION(() => this.startOf());
    this.MANY(() => this.SUBRULE(this.attribute));
    let pub = false;
    let mut = false;
    this.OPTION(() => {
      this.CONSUME(KW.pub);
      pub = true;
    });
    this.OPTION2(() => {
      this.CONSUME(KW.mut);
      mut = true;
    });
    const name = this.SUBRULE(this.ident);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.type);
    return this.ACTION(() => this.mk(start, { name, type, mut, pub }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), name: this.phIdent(), type: this.phType(), mut: false, pub: false }) });

  public enumDecl = this.RULE("enumDecl", (): A.EnumDecl => {
    const start = this.ACTION(() => this.startOf());
    let flavor: A.StructFlavor = "plain";
    this.OPTION(() => {
      this.OR([
        { ALT: () => { this.CONSUME(KW.shared); flavor = "shared"; } },
        { ALT: () => { this.CONSUME(KW.par); flavor = "par"; } },
      ]);
    });
    this.CONSUME(KW.enum);
    const name = this.SUBRULE(this.ident);
    let generics: A.GenericParam[] = [];
    this.OPTION2(() => {
      generics = this.SUBRULE(this.genericParams);
    });
    const variants: A.VariantDecl[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      variants.push(this.SUBRULE(this.variantDecl));
      this.OR2(this.separator([T.Ident, T.Hash]));
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => {
      this.checkClass(name, "type", "enum");
      return this.mk(start, { kind: "enum" as const, name, pub: false, flavor, attrs: [], generics, variants });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.EnumDecl });

  public variantDecl = this.RULE("variantDecl", (): A.VariantDecl => {
    const start = this.ACTION(() => this.startOf());
    this.MANY(() => this.SUBRULE(this.attribute));
    const name = this.SUBRULE(this.ident);
    let shape: A.VariantDecl["shape"] = "unit";
    const tupleTypes: A.TypeExpr[] = [];
    let fields: A.FieldDecl[] = [];
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            shape = "tuple";
            this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => tupleTypes.push(this.SUBRULE(this.type)) });
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            shape = "struct";
            fields = this.SUBRULE(this.fieldList);
          },
        },
      ]);
    });
    this.OPTION2(() => {
      // explicit discriminant `A = 1`
      this.CONSUME(T.Eq);
      this.SUBRULE(this.expr);
    });
    return this.ACTION(() => {
      this.checkClass(name, "type", "variant");
      return this.mk(start, { name, shape, tupleTypes, fields });
    });
  }, { recoveryValueFunc: () => ({ ...this.ph(), name: this.phIdent(), shape: "unit" as const, tupleTypes: [], fields: [] }) });

  public implDecl = this.RULE("implDecl", (): A.ImplDecl => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.impl);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => {
      generics = this.SUBRULE(this.genericParams);
    });
    const first = this.SUBRULE(this.type);
    let trait: A.TypeExpr | undefined;
    let target = first;
    this.OPTION2(() => {
      this.CONSUME(KW.for);
      trait = first;
      target = this.SUBRULE2(this.type);
    });
    this.MANY(() => this.SUBRULE(this.contractClause));
    const methods = this.SUBRULE(this.methodList);
    return this.ACTION(() => this.mk(start, { kind: "impl" as const, generics, trait, target, methods }));
  }, { recoveryValueFunc: () => undefined as unknown as A.ImplDecl });

  public methodList = this.RULE("methodList", (): A.FnDecl[] => {
    const methods: A.FnDecl[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const start = this.ACTION(() => this.startOf());
            const attrs: A.Attribute[] = [];
            this.MANY2(() => attrs.push(this.SUBRULE(this.attribute)));
            let pub = false;
            this.OPTION(() => {
              this.OR2([{ ALT: () => this.CONSUME(KW.pub) }, { ALT: () => this.CONSUME(KW.private) }]);
              pub = true;
            });
            const f = this.SUBRULE(this.fnDecl);
            this.ACTION(() => {
              if (!f) return;
              f.attrs = attrs;
              f.pub = pub;
              f.span = this.map.range(start, this.endOf(start));
              methods.push(f);
            });
          },
        },
        {
          // associated type `type Item;` / `type Item = T;` (kept out of the AST)
          ALT: () => {
            this.CONSUME(KW.type);
            this.SUBRULE(this.ident);
            this.OPTION2(() => {
              this.CONSUME(T.Eq);
              this.SUBRULE(this.type);
            });
            this.CONSUME(T.Semi);
          },
        },
      ]);
    });
    this.CONSUME(T.RBrace);
    return methods;
  }, { recoveryValueFunc: () => [] });

  public traitDecl = this.RULE("traitDecl", (): A.TraitDecl => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.trait);
    const name = this.SUBRULE(this.ident);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => {
      generics = this.SUBRULE(this.genericParams);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.type);
      this.MANY(() => {
        this.CONSUME(T.Plus);
        this.SUBRULE2(this.type);
      });
    });
    const methods = this.SUBRULE(this.methodList);
    return this.ACTION(() => {
      this.checkClass(name, "type", "trait");
      return this.mk(start, { kind: "trait" as const, name, pub: false, generics, methods });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.TraitDecl });

  public constDecl = this.RULE("constDecl", (): A.ConstDecl => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.const);
    const name = this.SUBRULE(this.ident);
    let type: A.TypeExpr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.type);
    });
    this.CONSUME(T.Eq);
    const value = this.SUBRULE(this.expr);
    this.CONSUME(T.Semi);
    return this.ACTION(() => {
      this.checkClass(name, "const", "constant");
      return this.mk(start, { kind: "const" as const, name, isLet: false, mut: false, type, value });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.ConstDecl });

  public letItem = this.RULE("letItem", (): A.ConstDecl => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.let);
    let mut = false;
    this.OPTION(() => {
      this.CONSUME(KW.mut);
      mut = true;
    });
    const name = this.SUBRULE(this.ident);
    let type: A.TypeExpr | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.type);
    });
    this.CONSUME(T.Eq);
    const value = this.SUBRULE(this.expr);
    this.CONSUME(T.Semi);
    return this.ACTION(() => {
      this.checkClass(name, "const", "module-level binding");
      return this.mk(start, { kind: "const" as const, name, isLet: true, mut, type, value });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.ConstDecl });

  public typeAliasDecl = this.RULE("typeAliasDecl", (): A.TypeAliasDecl => {
    const start = this.ACTION(() => this.startOf());
    let distinct = false;
    this.OPTION(() => {
      this.CONSUME(KW.distinct);
      distinct = true;
    });
    this.CONSUME(KW.type);
    const name = this.SUBRULE(this.ident);
    this.OPTION2(() => this.SUBRULE(this.genericParams));
    this.CONSUME(T.Eq);
    const type = this.SUBRULE(this.type);
    this.OPTION3(() => {
      // refinement `where self > 0` (checked later, not represented)
      this.CONSUME(KW.where);
      this.SUBRULE(this.expr);
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => {
      this.checkClass(name, "type", "type");
      return this.mk(start, { kind: "typeAlias" as const, name, distinct, type });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.TypeAliasDecl });

  public effectDecl = this.RULE("effectDecl", (): A.Item => {
    const start = this.ACTION(() => this.startOf());
    let transparent = false;
    this.OPTION(() => {
      this.CONSUME(KW.transparent);
      transparent = true;
    });
    this.CONSUME(KW.effect);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.resource);
          return this.SUBRULE(this.resourceTail, { ARGS: [start] }) as A.Item;
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.group);
          const name = this.SUBRULE(this.ident);
          this.CONSUME(T.Eq);
          const terms: A.EffectItem[] = [];
          terms.push(this.SUBRULE(this.effectItem));
          this.MANY(() => {
            this.CONSUME(T.Plus);
            terms.push(this.SUBRULE2(this.effectItem));
          });
          this.CONSUME(T.Semi);
          return this.ACTION(() => {
            this.checkClass(name, "value", "effect group");
            return this.mk(start, { kind: "effectGroup" as const, name, terms });
          }) as A.Item;
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.verb);
          const name = this.SUBRULE2(this.ident);
          this.CONSUME2(T.Semi);
          return this.ACTION(() => {
            this.checkClass(name, "value", "effect verb");
            return this.mk(start, { kind: "effectVerb" as const, name, transparent });
          }) as A.Item;
        },
      },
    ]);
  }, { recoveryValueFunc: () => undefined as unknown as A.Item });

  public resourceDecl = this.RULE("resourceDecl", (): A.EffectResourceDecl => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.resource);
    return this.SUBRULE(this.resourceTail, { ARGS: [start] });
  }, { recoveryValueFunc: () => undefined as unknown as A.EffectResourceDecl });

  public resourceTail = this.RULE("resourceTail", (start: number): A.EffectResourceDecl => {
    const name = this.SUBRULE(this.ident);
    let keyParam: A.EffectResourceDecl["keyParam"];
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      const kn = this.SUBRULE2(this.ident);
      this.CONSUME(T.Colon);
      const kt = this.SUBRULE(this.type);
      this.CONSUME(T.RBracket);
      keyParam = { name: kn, type: kt };
    });
    const bounds: A.TypeExpr[] = [];
    this.OPTION2(() => {
      this.CONSUME2(T.Colon);
      bounds.push(this.SUBRULE2(this.type));
      this.MANY(() => {
        this.CONSUME(T.Plus);
        bounds.push(this.SUBRULE3(this.type));
      });
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => {
      this.checkClass(name, "type", "effect resource");
      if (keyParam) this.checkClass(keyParam.name, "value", "resource key");
      return this.mk(start, { kind: "effectResource" as const, name, keyParam, bounds });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.EffectResourceDecl });

  public importDecl = this.RULE("importDecl", (): A.ImportDecl => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.import);
    const path: string[] = [this.SUBRULE(this.ident).name];
    let names: string[] = [];
    let alias: string | undefined;
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.OR([
        { ALT: () => { path.push(this.SUBRULE2(this.ident).name); } },
        { ALT: () => { this.CONSUME(T.Star); names = ["*"]; } },
        {
          ALT: () => {
            this.CONSUME(T.LBrace);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => names.push(this.SUBRULE3(this.ident).name) });
            this.CONSUME(T.RBrace);
          },
        },
      ]);
    });
    this.OPTION(() => {
      this.CONSUME(KW.as);
      alias = this.SUBRULE4(this.ident).name;
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => this.mk(start, { kind: "import" as const, path, names, alias, pub: false }));
  }, { recoveryValueFunc: () => undefined as unknown as A.ImportDecl });

  // ---------------------------------------------------------------- effects

  private effectClauseAhead(): boolean {
    const t = this.LA(1);
    if (isTok(t, KW.with) || isTok(t, T.Verb) || isTok(t, T.BareVerb)) return true;
    return isTok(t, T.Ident) && isTok(this.LA(2), T.LParen);
  }

  private effectItemAhead(withKw: boolean): boolean {
    const t = this.LA(1);
    if (isTok(t, T.Verb) || isTok(t, T.BareVerb)) return true;
    if (isTok(t, T.Ident)) return withKw || isTok(this.LA(2), T.LParen);
    return withKw && isTok(t, T.Underscore);
  }

  // `decl` is true for a function's own clause, where a comma can only be a mistaken
  // separator; in a fn type the comma ends the clause (it separates parameters).
  public effectClause = this.RULE("effectClause", (decl: boolean): A.EffectClause => {
    const start = this.ACTION(() => this.startOf());
    let withKeyword = false;
    this.OPTION(() => {
      this.CONSUME(KW.with);
      withKeyword = true;
    });
    const items: A.EffectItem[] = [];
    let wildcard: A.EffectItem | undefined;
    this.MANY({
      GATE: () =>
        !(wildcard && !decl) &&
        (this.effectItemAhead(withKeyword) ||
          (decl && isTok(this.LA(1), T.Comma) && this.effectItemLookahead2(withKeyword))),
      DEF: () => {
        this.OPTION2(() => {
          const comma = this.CONSUME(T.Comma);
          this.ACTION(() => {
            const span = this.tokSpan(comma);
            this.report(C.EffectComma, "effect items are space-separated, not comma-separated; remove the `,`", span, {
              fixes: [{ message: "remove the `,`", span, replacement: "" }],
            });
          });
        });
        const it = this.SUBRULE(this.effectItem, { ARGS: [withKeyword] });
        this.ACTION(() => {
          if (wildcard) this.report(C.EffectClause, "`with _` must be alone in an effect clause", it.span);
          else if (it.kind === "var" && it.name === "_" && items.length > 0) {
            this.report(C.EffectClause, "`with _` must be alone in an effect clause", it.span);
          }
          if (it.kind === "var" && it.name === "_") wildcard = it;
          items.push(it);
        });
      },
    });
    return this.ACTION(() => this.mk(start, { withKeyword, items }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), withKeyword: false, items: [] }) });

  private effectItemLookahead2(withKw: boolean): boolean {
    const t = this.LA(2);
    if (isTok(t, T.Verb) || isTok(t, T.BareVerb)) return true;
    if (isTok(t, T.Ident)) return withKw || isTok(this.LA(3), T.LParen);
    return false;
  }

  public effectItem = this.RULE("effectItem", (withKw?: boolean): A.EffectItem => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        ALT: () => {
          const v = this.CONSUME(T.Verb);
          const resources = this.SUBRULE(this.resourceList);
          return this.ACTION(() => this.mk(start, { kind: "verb" as const, verb: v.image, resources }));
        },
      },
      {
        ALT: () => {
          const v = this.CONSUME(T.BareVerb);
          this.OPTION(() => {
            const lp = this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.resourceRef) });
            this.CONSUME(T.RParen);
            this.ACTION(() =>
              this.report(C.EffectClause, `\`${v.image}\` takes no resource; write \`${v.image}\` without parentheses`, this.map.range(lp.startOffset, this.endOf(lp.startOffset))),
            );
          });
          return this.ACTION(() => this.mk(start, { kind: "verb" as const, verb: v.image, resources: [] }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Underscore);
          return this.ACTION(() => this.mk(start, { kind: "var" as const, name: "_" }));
        },
      },
      {
        GATE: () => isTok(this.LA(2), T.LParen),
        ALT: () => {
          const v = this.CONSUME2(T.Ident);
          const resources = this.SUBRULE2(this.resourceList);
          return this.ACTION(() => this.mk(start, { kind: "verb" as const, verb: word(v), resources }));
        },
      },
      {
        ALT: () => {
          const n = this.CONSUME3(T.Ident);
          return this.ACTION(() => {
            // Effect variables are Type-class (E), groups are Value-class (io_ops).
            const kind = identClass(word(n)) === "value" ? ("group" as const) : ("var" as const);
            if (withKw === false && kind === "group") {
              this.report(C.EffectClause, "effect groups and variables need `with`", this.tokSpan(n));
            }
            return this.mk(start, { kind, name: word(n) });
          });
        },
      },
    ]);
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "group" as const, name: "" }) });

  public resourceList = this.RULE("resourceList", (): A.ResourceRef[] => {
    const out: A.ResourceRef[] = [];
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      out.push(this.SUBRULE(this.resourceRef));
      this.MANY({
        GATE: () => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RParen),
        DEF: () => {
          this.CONSUME(T.Comma);
          out.push(this.SUBRULE2(this.resourceRef));
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
    return out;
  }, { recoveryValueFunc: () => [] });

  public resourceRef = this.RULE("resourceRef", (): A.ResourceRef => {
    const start = this.ACTION(() => this.startOf());
    const path = [word(this.CONSUME(T.AnyWord))];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      path.push(word(this.CONSUME2(T.AnyWord)));
    });
    let key: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      key = this.SUBRULE(this.expr);
      this.CONSUME(T.RBracket);
    });
    return this.ACTION(() => this.mk(start, { path, key }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), path: [] }) });

  // ---------------------------------------------------------------- types

  public type = this.RULE("type", (): A.TypeExpr => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        // `&T` / `&mut T`: Rust spelling of `ref T` / `mut ref T`
        ALT: () => {
          const amp = this.CONSUME(T.Amp);
          let mut = false;
          this.OPTION3(() => {
            this.CONSUME3(KW.mut);
            mut = true;
          });
          const inner = this.SUBRULE5(this.type);
          return this.ACTION(() => {
            this.ampHint(amp, mut, "borrowed types are written `ref T` / `mut ref T`");
            return this.mk(start, { kind: "ref" as const, mut, inner });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.ref);
          const inner = this.SUBRULE(this.type);
          return this.ACTION(() => this.mk(start, { kind: "ref" as const, mut: false, inner }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.mut);
          this.CONSUME2(KW.ref);
          const inner = this.SUBRULE2(this.type);
          return this.ACTION(() => this.mk(start, { kind: "ref" as const, mut: true, inner }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const elems: A.TypeExpr[] = [];
          let trailingComma = false;
          this.OPTION(() => {
            elems.push(this.SUBRULE3(this.type));
            this.MANY(() => {
              this.CONSUME(T.Comma);
              trailingComma = true;
              this.OPTION2({
                GATE: () => !isTok(this.LA(1), T.RParen),
                DEF: () => {
                  elems.push(this.SUBRULE4(this.type));
                  trailingComma = false;
                },
              });
            });
          });
          this.CONSUME(T.RParen);
          return this.ACTION(() => {
            if (elems.length === 1 && !trailingComma) return elems[0];
            return this.mk(start, { kind: "tuple" as const, elems });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.Self);
          return this.ACTION(() => this.mk(start, { kind: "self" as const }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Underscore);
          return this.ACTION(() => this.mk(start, { kind: "infer" as const }));
        },
      },
      {
        // `Fn(..)`, and stdlib spellings like `OnceFn(..)`: a type name applied to `(`
        GATE: () => isTok(this.LA(2), T.LParen),
        ALT: () => this.SUBRULE(this.fnType),
      },
      { ALT: () => this.SUBRULE(this.namedType) },
    ]);
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "infer" as const }) });

  public fnType = this.RULE("fnType", (): A.TypeExpr => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(T.Ident);
    this.CONSUME(T.LParen);
    const params: A.TypeExpr[] = [];
    this.MANY_SEP({ SEP: T.Comma, DEF: () => params.push(this.SUBRULE(this.type)) });
    this.CONSUME(T.RParen);
    let ret: A.TypeExpr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      ret = this.SUBRULE2(this.type);
    });
    let effects: A.EffectClause | undefined;
    this.OPTION2({
      GATE: () => this.effectClauseAhead(),
      DEF: () => {
        effects = this.SUBRULE(this.effectClause, { ARGS: [false] });
      },
    });
    return this.ACTION(() => this.mk(start, { kind: "fn" as const, params, ret, effects }));
  }, { recoveryValueFunc: () => this.phType() });

  public namedType = this.RULE("namedType", (): A.TypeExpr => {
    const start = this.ACTION(() => this.startOf());
    const path = [word(this.CONSUME(T.Ident))];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      path.push(word(this.CONSUME2(T.Ident)));
    });
    const args: A.TypeArg[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.typeArg)) });
      this.CONSUME(T.RBracket);
    });
    return this.ACTION(() => this.mk(start, { kind: "named" as const, path, args }));
  }, { recoveryValueFunc: () => this.phType() });

  public typeArg = this.RULE("typeArg", (): A.TypeArg => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        GATE: () => oneOf(this.LA(1), [T.IntLit, T.Minus, T.LBrace, T.CharLit, KW.true, KW.false]),
        ALT: () => {
          const value = this.SUBRULE(this.expr);
          return this.ACTION(() => this.mk(start, { kind: "const" as const, value }));
        },
      },
      { ALT: () => this.SUBRULE(this.type) as A.TypeArg },
    ]);
  }, { recoveryValueFunc: () => this.phType() as A.TypeArg });

  // ---------------------------------------------------------------- patterns

  public pattern = this.RULE("pattern", (): A.Pattern => {
    const start = this.ACTION(() => this.startOf());
    const alts: A.Pattern[] = [this.SUBRULE(this.patAtom)];
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      alts.push(this.SUBRULE2(this.patAtom));
    });
    return this.ACTION(() => (alts.length === 1 ? alts[0] : this.mk(start, { kind: "or" as const, alts })));
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "wild" as const }) });

  public patAtom = this.RULE("patAtom", (): A.Pattern => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Underscore);
          return this.ACTION(() => this.mk(start, { kind: "wild" as const }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.DotDot);
          let binding: string | undefined;
          this.OPTION(() => {
            binding = this.SUBRULE(this.ident).name;
          });
          return this.ACTION(() => this.mk(start, { kind: "rest" as const, binding }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.DotDotEq);
          const hi = this.SUBRULE(this.litExpr);
          return this.ACTION(() => this.mk(start, { kind: "range" as const, hi, inclusive: true }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.mut);
          const inner = this.SUBRULE(this.patAtom);
          return this.ACTION(() => {
            markMut(inner);
            return inner;
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.ref);
          return this.SUBRULE2(this.patAtom);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const elems: A.Pattern[] = [];
          let trailingComma = false;
          this.OPTION2(() => {
            elems.push(this.SUBRULE(this.pattern));
            this.MANY(() => {
              this.CONSUME(T.Comma);
              trailingComma = true;
              this.OPTION3({
                GATE: () => !isTok(this.LA(1), T.RParen),
                DEF: () => {
                  elems.push(this.SUBRULE2(this.pattern));
                  trailingComma = false;
                },
              });
            });
          });
          this.CONSUME(T.RParen);
          return this.ACTION(() => (elems.length === 1 && !trailingComma ? elems[0] : this.mk(start, { kind: "tuple" as const, elems })));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          const elems: A.Pattern[] = [];
          this.MANY_SEP({ SEP: T.Comma, DEF: () => elems.push(this.SUBRULE3(this.pattern)) });
          this.CONSUME(T.RBracket);
          return this.ACTION(() => this.mk(start, { kind: "slice" as const, elems }));
        },
      },
      {
        GATE: () => oneOf(this.LA(1), LIT_START),
        ALT: () => {
          const lo = this.SUBRULE2(this.litExpr);
          let range: { hi?: A.Expr; inclusive: boolean } | undefined;
          this.OPTION4(() => {
            this.OR2([
              {
                ALT: () => {
                  this.CONSUME2(T.DotDotEq);
                  range = { hi: this.SUBRULE3(this.litExpr), inclusive: true };
                },
              },
              {
                ALT: () => {
                  this.CONSUME2(T.DotDot);
                  range = { inclusive: false };
                  this.OPTION5({
                    GATE: () => oneOf(this.LA(1), LIT_START),
                    DEF: () => {
                      range = { hi: this.SUBRULE4(this.litExpr), inclusive: false };
                    },
                  });
                },
              },
            ]);
          });
          return this.ACTION(() =>
            range ? this.mk(start, { kind: "range" as const, lo, hi: range.hi, inclusive: range.inclusive }) : this.mk(start, { kind: "lit" as const, value: lo }),
          );
        },
      },
      { ALT: () => this.SUBRULE(this.pathPattern) },
    ]);
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "wild" as const }) });

  public pathPattern = this.RULE("pathPattern", (): A.Pattern => {
    const start = this.ACTION(() => this.startOf());
    const first = this.OR([{ ALT: () => this.CONSUME(T.Ident) }, { ALT: () => this.CONSUME(KW.Self) }, { ALT: () => this.CONSUME(KW.self) }]);
    const path = [word(first)];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      path.push(word(this.CONSUME2(T.Ident)));
    });
    return this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const args: A.Pattern[] = [];
          this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.pattern)) });
          this.CONSUME(T.RParen);
          return this.ACTION(() => this.mk(start, { kind: "variant" as const, path, args }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          const fields: { name: string; pattern: A.Pattern; span: A.Span }[] = [];
          let rest = false;
          this.MANY2(() => {
            this.OR3([
              {
                ALT: () => {
                  this.CONSUME(T.DotDot);
                  rest = true;
                },
              },
              {
                ALT: () => {
                  const fstart = this.ACTION(() => this.startOf());
                  const name = this.SUBRULE(this.ident);
                  let pattern: A.Pattern | undefined;
                  this.OPTION(() => {
                    this.CONSUME(T.Colon);
                    pattern = this.SUBRULE2(this.pattern);
                  });
                  this.ACTION(() => {
                    const p = pattern ?? { id: this.nextId++, span: name.span, kind: "bind" as const, name: name.name, mut: false };
                    fields.push({ name: name.name, pattern: p, span: this.map.range(fstart, this.endOf(fstart)) });
                  });
                },
              },
            ]);
            this.OR4(this.separator([T.Ident, T.DotDot]));
          });
          this.CONSUME(T.RBrace);
          return this.ACTION(() => this.mk(start, { kind: "struct" as const, path, fields, rest }));
        },
      },
      {
        GATE: () => path.length === 1,
        ALT: () => {
          this.CONSUME(T.At);
          const sub = this.SUBRULE(this.patAtom);
          return this.ACTION(() => this.mk(start, { kind: "bind" as const, name: path[0], mut: false, sub }));
        },
      },
      {
        ALT: () =>
          this.ACTION(() => {
            // A lone lowercase name binds; `None`, `Red`, `Color.Red` name variants.
            if (path.length === 1 && identClass(path[0]) === "value") return this.mk(start, { kind: "bind" as const, name: path[0], mut: false });
            return this.mk(start, { kind: "variant" as const, path });
          }),
      },
    ]);
  }, { recoveryValueFunc: () => ({ ...this.ph(), kind: "wild" as const }) });

  // A literal, optionally negated, as used by patterns.
  public litExpr = this.RULE("litExpr", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.literal);
          return this.ACTION(() => this.mk(start, { kind: "unary" as const, op: "-" as const, operand }));
        },
      },
      { ALT: () => this.SUBRULE2(this.literal) },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  // ---------------------------------------------------------------- statements

  public block = this.RULE("block", (): A.Block => {
    const start = this.ACTION(() => this.startOf());
    const savedNoStruct = this.noStruct;
    this.noStruct = false;
    try {
      this.CONSUME(T.LBrace);
      const stmts: A.Stmt[] = [];
      this.MANY(() => {
        const s = this.SUBRULE(this.stmt);
        this.ACTION(() => stmts.push(s));
      });
      this.CONSUME(T.RBrace);
      return this.ACTION(() => {
        let tail: A.Expr | undefined;
        const last = stmts[stmts.length - 1];
        if (last && last.kind === "expr" && !last.semi) {
          stmts.pop();
          tail = last.expr;
        }
        return this.mk(start, { kind: "block" as const, stmts, tail });
      });
    } finally {
      this.noStruct = savedNoStruct;
    }
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "block" as const, stmts: [] }) });

  public stmt = this.RULE("stmt", (): A.Stmt => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Semi);
          return this.ACTION(() => this.mk(start, { kind: "empty" as const }));
        },
      },
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.deferStmt) },
      {
        GATE: () => oneOf(this.LA(1), BLOCK_LIKE_START) || this.labelAhead(),
        ALT: () => {
          const e = this.SUBRULE(this.blockLike);
          let semi = false;
          this.OPTION(() => {
            this.CONSUME2(T.Semi);
            semi = true;
          });
          return this.ACTION(() => this.mk(start, { kind: "expr" as const, expr: e, semi }));
        },
      },
      { ALT: () => this.SUBRULE(this.exprStmt) },
    ]);
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "empty" as const }) });

  public letStmt = this.RULE("letStmt", (): A.Stmt => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.let);
    const pattern = this.SUBRULE(this.pattern);
    let type: A.TypeExpr | undefined;
    let value: A.Expr | undefined;
    let elseBlock: A.Block | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.type);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Eq);
      value = this.SUBRULE(this.expr);
    });
    this.OPTION3(() => {
      this.CONSUME(KW.else);
      elseBlock = this.SUBRULE(this.block);
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => this.mk(start, { kind: "let" as const, pattern, type, value, elseBlock }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), kind: "empty" as const }) });

  public deferStmt = this.RULE("deferStmt", (): A.Stmt => {
    const start = this.ACTION(() => this.startOf());
    let err = false;
    let binding: string | undefined;
    this.OR([
      { ALT: () => this.CONSUME(KW.defer) },
      {
        ALT: () => {
          this.CONSUME(KW.errdefer);
          err = true;
          this.OPTION(() => {
            this.CONSUME(T.LParen);
            binding = this.SUBRULE(this.ident).name;
            this.CONSUME(T.RParen);
          });
        },
      },
    ]);
    const body = this.OR2([
      {
        ALT: () => {
          const b = this.SUBRULE(this.block);
          this.OPTION2(() => this.CONSUME(T.Semi));
          return b as A.Expr;
        },
      },
      {
        ALT: () => {
          const e = this.SUBRULE(this.expr);
          this.CONSUME2(T.Semi);
          return e;
        },
      },
    ]);
    return this.ACTION(() => this.mk(start, { kind: "defer" as const, body, err, binding }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), kind: "empty" as const }) });

  public exprStmt = this.RULE("exprStmt", (): A.Stmt => {
    const start = this.ACTION(() => this.startOf());
    const target = this.SUBRULE(this.expr);
    return this.OR([
      {
        // parallel assignment `a, b = b, a;`, represented as a tuple assigned a tuple
        ALT: () => {
          const targets = [target];
          this.AT_LEAST_ONE(() => {
            this.CONSUME(T.Comma);
            targets.push(this.SUBRULE3(this.expr));
          });
          this.CONSUME(T.Eq);
          const values = [this.SUBRULE4(this.expr)];
          this.MANY(() => {
            this.CONSUME2(T.Comma);
            values.push(this.SUBRULE5(this.expr));
          });
          this.CONSUME3(T.Semi);
          return this.ACTION(() => {
            const tuple = (elems: A.Expr[]): A.Expr => {
              const a = elems[0].span.offset;
              const last = elems[elems.length - 1].span;
              return { id: this.nextId++, span: this.map.range(a, last.offset + last.length), kind: "tuple", elems };
            };
            const value = values.length === 1 ? values[0] : tuple(values);
            return this.mk(start, { kind: "assign" as const, op: "=" as A.AssignOp, target: tuple(targets), value });
          });
        },
      },
      {
        ALT: () => {
          const op = this.SUBRULE(this.assignOp);
          const value = this.SUBRULE2(this.expr);
          this.CONSUME(T.Semi);
          return this.ACTION(() => this.mk(start, { kind: "assign" as const, op, target, value }));
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.Semi);
          return this.ACTION(() => this.mk(start, { kind: "expr" as const, expr: target, semi: true }));
        },
      },
      {
        ALT: () =>
          this.ACTION(() => {
            // No `;`: fine before `}` (a tail expression); otherwise one diagnostic, and the
            // next token starts the next statement.
            if (!isTok(this.LA(1), T.RBrace)) {
              const end = this.endOf(start);
              this.report(C.MissingSemicolon, `expected \`;\` after this expression, found ${found(this.LA(1))}`, this.map.span(end, 0));
            }
            return this.mk(start, { kind: "expr" as const, expr: target, semi: false });
          }),
      },
    ]);
  }, { recoveryValueFunc: () => ({ ...this.ph(), kind: "empty" as const }) });

  public assignOp = this.RULE("assignOp", (): A.AssignOp => {
    const tok = this.OR(ASSIGN_OPS.map((t) => ({ ALT: () => this.CONSUME(t) })));
    return tok.image as A.AssignOp;
  }, { recoveryValueFunc: () => "=" as A.AssignOp });

  // ---------------------------------------------------------------- expressions

  public expr = this.RULE("expr", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(T.DotDot) }, { ALT: () => this.CONSUME(T.DotDotEq) }]);
          let hi: A.Expr | undefined;
          this.OPTION({
            GATE: () => this.canStartExpr(),
            DEF: () => {
              hi = this.SUBRULE(this.binExpr);
            },
          });
          return this.ACTION(() => this.mk(start, { kind: "range" as const, hi, inclusive: op.tokenType === T.DotDotEq }));
        },
      },
      {
        ALT: () => {
          const lo = this.SUBRULE2(this.binExpr);
          let r: { hi?: A.Expr; inclusive: boolean } | undefined;
          this.OPTION2(() => {
            const op = this.OR3([{ ALT: () => this.CONSUME2(T.DotDot) }, { ALT: () => this.CONSUME2(T.DotDotEq) }]);
            r = { inclusive: op.tokenType === T.DotDotEq };
            this.OPTION3({
              GATE: () => this.canStartExpr(),
              DEF: () => {
                r!.hi = this.SUBRULE3(this.binExpr);
              },
            });
          });
          return this.ACTION(() => (r ? this.mk(start, { kind: "range" as const, lo, hi: r.hi, inclusive: r.inclusive }) : lo));
        },
      },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  // All binary operators in one rule: operands and operators are collected flat and the
  // tree is built by precedence climbing. One rule instead of one per level keeps the
  // call depth per nesting level small and parsing fast.
  public binExpr = this.RULE("binExpr", (): A.Expr => {
    const first = this.SUBRULE(this.castExpr);
    const operands: A.Expr[] = [first];
    const ops: IToken[] = [];
    this.MANY(() => {
      const op = this.OR(BINARY_OPS.map((t) => ({ ALT: () => this.CONSUME(t) })));
      const right = this.SUBRULE2(this.castExpr);
      this.ACTION(() => {
        ops.push(op);
        operands.push(right);
      });
    });
    return this.ACTION(() => (ops.length === 0 ? first : this.buildBinary(operands, ops)));
  }, { recoveryValueFunc: () => this.errExpr() });

  private wordOperator(tok: IToken, word: string, replacement: string): void {
    const span = this.tokSpan(tok);
    this.report(C.LogicalOperator, `\`${tok.image}\` is not a Kāra operator; use \`${word}\``, span, {
      fixes: [{ message: `replace with \`${word}\``, span, replacement }],
    });
  }

  private ampHint(amp: IToken, mut: boolean, what: string): void {
    const span = this.map.range(amp.startOffset, mut ? this.mutEnd(amp) : amp.startOffset + 1);
    this.report(C.ForeignSyntax, `Kāra has no \`&\`: ${what}`, span, {
      fixes: [{ message: `replace with \`${mut ? "mut ref" : "ref"}\``, span, replacement: mut ? "mut ref" : "ref " }],
    });
  }

  // End offset of the `mut` that follows `&` (for the `&mut` fix span).
  private mutEnd(amp: IToken): number {
    const text = this.map.text;
    const m = /^&\s*mut\b/.exec(text.slice(amp.startOffset, amp.startOffset + 16));
    return amp.startOffset + (m ? m[0].length : 1);
  }

  private buildBinary(operands: A.Expr[], ops: IToken[]): A.Expr {
    // diagnostics for operators Kāra spells differently, and for chained comparisons
    let lastCmp = -1;
    for (let i = 0; i < ops.length; i++) {
      const t = ops[i].tokenType;
      if (t === T.AmpAmp) this.wordOperator(ops[i], "and", "and");
      else if (t === T.PipePipe) this.wordOperator(ops[i], "or", "or");
      const prec = PRECEDENCE.get(t)!;
      if (prec === CMP_PREC) {
        if (lastCmp >= 0) {
          this.report(C.ChainedComparison, "comparison operators cannot be chained; use `and` to combine comparisons", this.tokSpan(ops[i]));
          lastCmp = -1;
        } else lastCmp = i;
      } else if (prec < CMP_PREC) lastCmp = -1;
    }
    // Precedence climbing: operand i sits between ops i-1 and i.
    let pos = 0;
    const climb = (minPrec: number): A.Expr => {
      let left = operands[pos];
      while (pos < ops.length) {
        const op = ops[pos];
        const prec = PRECEDENCE.get(op.tokenType)!;
        if (prec < minPrec) break;
        pos++;
        const right = climb(prec + 1); // left-associative
        left = {
          id: this.nextId++,
          span: this.map.range(left.span.offset, right.span.offset + right.span.length),
          kind: "binary",
          op: OP_NAME.get(op.tokenType) ?? (op.image as A.BinaryOp),
          left,
          right,
        };
      }
      return left;
    };
    return climb(0);
  }

  public castExpr = this.RULE("castExpr", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    let e = this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(KW.as);
      const type = this.SUBRULE(this.type);
      this.ACTION(() => (e = this.mk(start, { kind: "cast" as const, expr: e, type })));
    });
    return e;
  }, { recoveryValueFunc: () => this.errExpr() });

  public unary = this.RULE("unary", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2([
            { ALT: () => this.CONSUME(T.Minus) },
            { ALT: () => this.CONSUME(KW.not) },
            { ALT: () => this.CONSUME(T.Tilde) },
            { ALT: () => this.CONSUME(T.Star) },
            { ALT: () => this.CONSUME(T.Bang) },
          ]);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION(() => {
            let o = op.image as "-" | "not" | "~" | "*";
            if (op.tokenType === T.Bang) {
              this.wordOperator(op, "not", "not ");
              o = "not";
            }
            return this.mk(start, { kind: "unary" as const, op: o, operand });
          });
        },
      },
      {
        // `&x` / `&mut x`: Kāra passes by mode, not by borrow expression
        ALT: () => {
          const amp = this.CONSUME(T.Amp);
          let mut = false;
          this.OPTION(() => {
            this.CONSUME(KW.mut);
            mut = true;
          });
          const operand = this.SUBRULE2(this.unary);
          return this.ACTION(() => {
            const span = this.map.range(amp.startOffset, mut ? this.mutEnd(amp) : amp.startOffset + 1);
            const hint = mut ? "write `mut x` for a `mut ref` argument" : "pass the value itself; `ref` parameters borrow automatically";
            this.report(C.ForeignSyntax, `Kāra has no \`&\` operator; ${hint}`, span, {
              fixes: [{ message: mut ? "replace with `mut`" : "remove the `&`", span, replacement: mut ? "mut" : "" }],
            });
            return operand;
          });
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  // Postfix chain. `{` continues the chain only as a struct literal: after a path, outside
  // a condition, and when the brace content looks like fields.
  public postfix = this.RULE("postfix", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    let e = this.SUBRULE(this.primary);
    this.MANY({
      GATE: () => this.postfixAhead(e),
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              const dot = this.OR2([{ ALT: () => this.CONSUME(T.Dot) }, { ALT: () => this.CONSUME(T.ColonColon) }, { ALT: () => this.CONSUME(T.QuestionDot) }]);
              const name = this.SUBRULE(this.memberName);
              let args: A.Arg[] | undefined;
              this.OPTION(() => {
                args = this.SUBRULE(this.callArgs);
              });
              this.ACTION(() => {
                if (dot.tokenType === T.ColonColon) {
                  const span = this.tokSpan(dot);
                  this.report(C.PathSeparator, "`::` is not a Kāra path separator; use `.`", span, { fixes: [{ message: "replace with `.`", span, replacement: "." }] });
                }
                const optional = dot.tokenType === T.QuestionDot;
                if (args) {
                  const call: A.Expr = this.mk(start, { kind: "methodCall" as const, receiver: e, method: name, args });
                  if (optional && call.kind === "methodCall") call.optional = true;
                  e = call;
                } else e = this.mk(start, { kind: "field" as const, object: e, name, optional });
              });
            },
          },
          {
            // `println!(..)`, `vec![..]`: Rust macros
            GATE: () => e.kind === "ident",
            ALT: () => {
              const bang = this.CONSUME(T.Bang);
              let list: A.Expr | undefined;
              const name = e.kind === "ident" ? e.name : "";
              this.OPTION2({
                GATE: () => name === "vec" && isTok(this.LA(1), T.LBracket),
                DEF: () => {
                  list = this.SUBRULE2(this.primary);
                },
              });
              this.ACTION(() => {
                if (list) {
                  const span = this.map.range(e.span.offset, bang.startOffset + 1);
                  this.report(C.ForeignSyntax, "Kāra has no macros; `[a, b]` is already a Vec literal", span, {
                    fixes: [{ message: "remove `vec!`", span, replacement: "" }],
                  });
                  e = list;
                } else {
                  const span = this.tokSpan(bang);
                  this.report(C.ForeignSyntax, `Kāra has no macros; call \`${name}\` without \`!\``, span, {
                    fixes: [{ message: "remove the `!`", span, replacement: "" }],
                  });
                }
              });
            },
          },
          {
            ALT: () => {
              const args = this.SUBRULE2(this.callArgs);
              this.ACTION(() => (e = this.mk(start, { kind: "call" as const, callee: e, args })));
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Question);
              this.ACTION(() => (e = this.mk(start, { kind: "try" as const, expr: e })));
            },
          },
          {
            ALT: () => {
              const r = this.SUBRULE(this.bracketSuffix, { ARGS: [e, start] });
              this.ACTION(() => (e = r));
            },
          },
          {
            ALT: () => {
              const r = this.SUBRULE(this.structLitBody, { ARGS: [e, start] });
              this.ACTION(() => (e = r));
            },
          },
        ]);
      },
    });
    return e;
  }, { recoveryValueFunc: () => this.errExpr() });

  private postfixAhead(e: A.Expr): boolean {
    const t = this.LA(1);
    if (oneOf(t, [T.Dot, T.QuestionDot, T.LParen, T.Question, T.LBracket])) return true;
    if (isTok(t, T.ColonColon)) return true;
    if (isTok(t, T.Bang)) return e.kind === "ident" && (isTok(this.LA(2), T.LParen) || isTok(this.LA(2), T.LBracket));
    if (isTok(t, T.LBrace)) return !this.noStruct && pathOf(e) !== undefined && this.structBodyAhead();
    return false;
  }

  private structBodyAhead(): boolean {
    const t2 = this.LA(2);
    if (isTok(t2, T.RBrace) || isTok(t2, T.DotDot)) return true;
    if (isTok(t2, T.Ident)) {
      const t3 = this.LA(3);
      return isTok(t3, T.Colon) || isTok(t3, T.Comma) || isTok(t3, T.RBrace);
    }
    return false;
  }

  public callArgs = this.RULE("callArgs", (): A.Arg[] => {
    const args: A.Arg[] = [];
    const savedNoStruct = this.noStruct;
    this.noStruct = false;
    try {
      this.CONSUME(T.LParen);
      this.OPTION(() => {
        args.push(this.SUBRULE(this.arg));
        this.MANY({
          GATE: () => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RParen),
          DEF: () => {
            this.CONSUME(T.Comma);
            args.push(this.SUBRULE2(this.arg));
          },
        });
        this.OPTION2(() => this.CONSUME2(T.Comma));
      });
      this.CONSUME(T.RParen);
      return args;
    } finally {
      this.noStruct = savedNoStruct;
    }
  }, { recoveryValueFunc: () => [] });

  public arg = this.RULE("arg", (): A.Arg => {
    const start = this.ACTION(() => this.startOf());
    let mutMarker = false;
    let label: string | undefined;
    this.OPTION({
      GATE: () => isTok(this.LA(1), T.Ident) && isTok(this.LA(2), T.Colon),
      DEF: () => {
        label = this.SUBRULE(this.ident).name;
        this.CONSUME(T.Colon);
      },
    });
    this.OPTION2({
      GATE: () => !isTok(this.LA(2), KW.ref),
      DEF: () => {
        this.CONSUME(KW.mut);
        mutMarker = true;
      },
    });
    const value = this.SUBRULE(this.expr);
    return this.ACTION(() => this.mk(start, { value, mutMarker, label }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), value: this.errExpr(), mutMarker: false }) });

  // `x[...]` after an expression: indexing / generic application / prefix literal.
  public bracketSuffix = this.RULE("bracketSuffix", (object: A.Expr, start: number): A.Expr => {
    const savedNoStruct = this.noStruct;
    this.noStruct = false;
    try {
      this.CONSUME(T.LBracket);
      const r = this.SUBRULE(this.listBody);
      this.CONSUME(T.RBracket);
      return this.ACTION(() => {
        const prefix = object.kind === "ident" ? object.name : undefined;
        if (r.kind === "elems") return this.mk(start, { kind: "index" as const, object, indices: r.elems });
        if (r.kind === "repeat") return this.mk(start, { kind: "list" as const, prefix, elems: [], repeat: r.repeat });
        return this.mk(start, { kind: "list" as const, prefix, elems: [], entries: r.entries });
      });
    } finally {
      this.noStruct = savedNoStruct;
    }
  }, { recoveryValueFunc: () => this.errExpr() });

  // Contents of `[...]`: elements, `v; n`, or `k: v` entries.
  public listBody = this.RULE("listBody", (): ListBody => {
    const elems: A.Expr[] = [];
    const entries: [A.Expr, A.Expr][] = [];
    let repeat: { value: A.Expr; count: A.Expr } | undefined;
    let isMap = false;
    this.OPTION(() => {
      const first = this.SUBRULE(this.expr);
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Semi);
            const count = this.SUBRULE2(this.expr);
            repeat = { value: first, count };
          },
        },
        {
          ALT: () => {
            isMap = true;
            this.CONSUME(T.Colon);
            const v = this.SUBRULE3(this.expr);
            entries.push([first, v]);
            this.MANY({
              GATE: () => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RBracket),
              DEF: () => {
                this.CONSUME(T.Comma);
                const k = this.SUBRULE4(this.expr);
                this.CONSUME2(T.Colon);
                const v2 = this.SUBRULE5(this.expr);
                entries.push([k, v2]);
              },
            });
            this.OPTION2(() => this.CONSUME2(T.Comma));
          },
        },
        {
          ALT: () => {
            elems.push(first);
            this.MANY2({
              GATE: () => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RBracket),
              DEF: () => {
                this.CONSUME3(T.Comma);
                elems.push(this.SUBRULE6(this.expr));
              },
            });
            this.OPTION3(() => this.CONSUME4(T.Comma));
          },
        },
      ]);
    });
    if (repeat) return { kind: "repeat", repeat };
    if (isMap) return { kind: "entries", entries };
    return { kind: "elems", elems };
  }, { recoveryValueFunc: (): ListBody => ({ kind: "elems", elems: [] }) });

  public structLitBody = this.RULE("structLitBody", (head: A.Expr, start: number): A.Expr => {
    this.CONSUME(T.LBrace);
    const fields: { name: A.Ident; value: A.Expr }[] = [];
    let base: A.Expr | undefined;
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.DotDot);
            base = this.SUBRULE(this.expr);
          },
        },
        {
          ALT: () => {
            const name = this.SUBRULE(this.ident);
            let value: A.Expr | undefined;
            this.OPTION(() => {
              this.CONSUME(T.Colon);
              value = this.SUBRULE2(this.expr);
            });
            this.ACTION(() => fields.push({ name, value: value ?? { id: this.nextId++, span: name.span, kind: "ident", name: name.name } }));
          },
        },
      ]);
      this.OR2(this.separator([T.Ident, T.DotDot]));
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => {
      const p = pathOf(head)!;
      return this.mk(start, { kind: "structLit" as const, path: p.path, typeArgs: p.typeArgs.map(exprToTypeArg), fields, base });
    });
  }, { recoveryValueFunc: () => this.errExpr() });

  private labelAhead(): boolean {
    return isTok(this.LA(1), T.Ident) && isTok(this.LA(2), T.Colon) && oneOf(this.LA(3), LOOP_KW);
  }

  // if / match / loops / blocks / par / seq / lock, and labelled forms.
  public blockLike = this.RULE("blockLike", (): A.Expr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.matchExpr) },
      { ALT: () => this.SUBRULE(this.loopExpr) },
      { GATE: () => this.labelAhead(), ALT: () => this.SUBRULE(this.labeled) },
      { ALT: () => this.SUBRULE(this.block) as A.Expr },
      {
        ALT: () => {
          const start = this.ACTION(() => this.startOf());
          const kw = this.OR2([{ ALT: () => this.CONSUME(KW.par) }, { ALT: () => this.CONSUME(KW.seq) }, { ALT: () => this.CONSUME(KW.unsafe) }]);
          const body = this.SUBRULE2(this.block);
          return this.ACTION(() => {
            if (kw.tokenType === KW.unsafe) return body;
            return this.mk(start, { kind: kw.image as "par" | "seq", body });
          });
        },
      },
      { ALT: () => this.SUBRULE(this.lockExpr) },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  public labeled = this.RULE("labeled", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    const label = word(this.CONSUME(T.Ident));
    this.CONSUME(T.Colon);
    this.labels.push(label);
    try {
      const e = this.OR([{ ALT: () => this.SUBRULE(this.loopExpr) }, { ALT: () => this.SUBRULE(this.block) as A.Expr }]);
      return this.ACTION(() => {
        (e as { label?: string }).label = label;
        e.span = this.map.range(start, this.endOf(start));
        return e;
      });
    } finally {
      this.labels.pop();
    }
  }, { recoveryValueFunc: () => this.errExpr() });

  // Parses an expression where a `Name {` would be ambiguous with the following block.
  public condExpr = this.RULE("condExpr", (): A.Expr => {
    const saved = this.noStruct;
    this.noStruct = true;
    try {
      return this.SUBRULE(this.expr);
    } finally {
      this.noStruct = saved;
    }
  }, { recoveryValueFunc: () => this.errExpr() });

  public ifExpr = this.RULE("ifExpr", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.if);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.let);
          const pattern = this.SUBRULE(this.pattern);
          this.CONSUME(T.Eq);
          const value = this.SUBRULE(this.condExpr);
          const then = this.SUBRULE(this.block);
          const els = this.SUBRULE(this.elseTail);
          return this.ACTION(() => this.mk(start, { kind: "ifLet" as const, pattern, value, then, else: els }));
        },
      },
      {
        ALT: () => {
          const cond = this.SUBRULE2(this.condExpr);
          const then = this.SUBRULE2(this.block);
          const els = this.SUBRULE2(this.elseTail);
          return this.ACTION(() => this.mk(start, { kind: "if" as const, cond, then, else: els }));
        },
      },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  public elseTail = this.RULE("elseTail", (): A.Expr | undefined => {
    let e: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(KW.else);
      e = this.OR([{ ALT: () => this.SUBRULE(this.ifExpr) }, { ALT: () => this.SUBRULE(this.block) as A.Expr }]);
    });
    return e;
  }, { recoveryValueFunc: () => undefined });

  public loopExpr = this.RULE("loopExpr", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.loop);
          const body = this.SUBRULE(this.block);
          return this.ACTION(() => this.mk(start, { kind: "loop" as const, body }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.while);
          return this.OR2([
            {
              ALT: () => {
                this.CONSUME(KW.let);
                const pattern = this.SUBRULE(this.pattern);
                this.CONSUME(T.Eq);
                const value = this.SUBRULE(this.condExpr);
                const body = this.SUBRULE2(this.block);
                return this.ACTION(() => this.mk(start, { kind: "whileLet" as const, pattern, value, body }));
              },
            },
            {
              ALT: () => {
                const cond = this.SUBRULE2(this.condExpr);
                const body = this.SUBRULE3(this.block);
                return this.ACTION(() => this.mk(start, { kind: "while" as const, cond, body }));
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.for);
          const pattern = this.SUBRULE2(this.pattern);
          this.CONSUME(KW.in);
          const iter = this.SUBRULE3(this.condExpr);
          const body = this.SUBRULE4(this.block);
          return this.ACTION(() => this.mk(start, { kind: "for" as const, pattern, iter, body }));
        },
      },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  public matchExpr = this.RULE("matchExpr", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.match);
    const scrutinee = this.SUBRULE(this.condExpr);
    this.CONSUME(T.LBrace);
    const arms: A.MatchArm[] = [];
    const saved = this.noStruct;
    this.noStruct = false;
    try {
      this.MANY(() => {
        arms.push(this.SUBRULE(this.matchArm));
      });
    } finally {
      this.noStruct = saved;
    }
    this.CONSUME(T.RBrace);
    return this.ACTION(() => this.mk(start, { kind: "match" as const, scrutinee, arms }));
  }, { recoveryValueFunc: () => this.errExpr() });

  public matchArm = this.RULE("matchArm", (): A.MatchArm => {
    const start = this.ACTION(() => this.startOf());
    const pattern = this.SUBRULE(this.pattern);
    let guard: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(KW.if);
      guard = this.SUBRULE(this.expr);
    });
    this.CONSUME(T.FatArrow);
    const body = this.SUBRULE2(this.expr);
    let bodyEnd = 0;
    this.ACTION(() => (bodyEnd = this.endOf(start)));
    this.OPTION2(() => {
      // `pat => x = 1,` — assignment is a statement; keep parsing so only this is reported
      const op = this.SUBRULE(this.assignOp);
      this.SUBRULE3(this.expr);
      this.ACTION(() => {
        this.report(C.AssignInExpr, `assignment \`${op}\` is a statement, not an expression; wrap the arm body in a block: \`=> { ...; }\``, this.map.range(body.span.offset, this.endOf(body.span.offset)));
      });
    });
    this.OR([
      { ALT: () => this.CONSUME(T.Comma) },
      { GATE: () => isTok(this.LA(1), T.RBrace), ALT: () => this.LA(1) },
      {
        GATE: () => BLOCK_LIKE_KINDS.has(body.kind),
        ALT: () => this.LA(1),
      },
      {
        ALT: () => {
          // missing comma after an expression arm: report and go on with the next arm
          this.ACTION(() => this.report(C.MissingComma, "expected `,` after a match arm expression", this.map.span(bodyEnd, 0)));
          return this.LA(1);
        },
      },
    ]);
    return this.ACTION(() => this.mk(start, { pattern, guard, body }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), pattern: { ...this.ph(), kind: "wild" as const }, body: this.errExpr() }) });

  public lockExpr = this.RULE("lockExpr", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    this.CONSUME(KW.lock);
    const saved = this.noStruct;
    this.noStruct = true;
    let target: A.Expr;
    try {
      target = this.SUBRULE(this.postfix);
    } finally {
      this.noStruct = saved;
    }
    let alias: A.Ident | undefined;
    this.OPTION(() => {
      alias = this.SUBRULE(this.ident);
    });
    const body = this.SUBRULE(this.block);
    return this.ACTION(() => this.mk(start, { kind: "lock" as const, target, alias, body }));
  }, { recoveryValueFunc: () => this.errExpr() });

  public primary = this.RULE("primary", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    return this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      {
        GATE: () => oneOf(this.LA(1), BLOCK_LIKE_START) || this.labelAhead(),
        ALT: () => this.SUBRULE(this.blockLike),
      },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      {
        ALT: () => {
          const savedNoStruct = this.noStruct;
          this.noStruct = false;
          try {
            this.CONSUME(T.LBracket);
            const r = this.SUBRULE(this.listBody);
            this.CONSUME(T.RBracket);
            return this.ACTION(() => {
              if (r.kind === "elems") return this.mk(start, { kind: "list" as const, elems: r.elems });
              if (r.kind === "repeat") return this.mk(start, { kind: "list" as const, elems: [], repeat: r.repeat });
              return this.mk(start, { kind: "list" as const, elems: [], entries: r.entries });
            });
          } finally {
            this.noStruct = savedNoStruct;
          }
        },
      },
      { ALT: () => this.SUBRULE(this.closure) },
      {
        ALT: () => {
          this.CONSUME(KW.return);
          let value: A.Expr | undefined;
          this.OPTION({ GATE: () => this.canStartExpr(), DEF: () => (value = this.SUBRULE(this.expr)) });
          return this.ACTION(() => this.mk(start, { kind: "return" as const, value }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.break);
          let label: string | undefined;
          let value: A.Expr | undefined;
          this.OPTION2({
            GATE: () => isTok(this.LA(1), T.Ident) && this.labels.includes(this.LA(1).image),
            DEF: () => (label = word(this.CONSUME(T.Ident))),
          });
          this.OPTION3({ GATE: () => this.canStartExpr(), DEF: () => (value = this.SUBRULE2(this.expr)) });
          return this.ACTION(() => this.mk(start, { kind: "break" as const, label, value }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.continue);
          let label: string | undefined;
          this.OPTION4({ GATE: () => isTok(this.LA(1), T.Ident), DEF: () => (label = word(this.CONSUME2(T.Ident))) });
          return this.ACTION(() => this.mk(start, { kind: "continue" as const, label }));
        },
      },
      {
        ALT: () => {
          const tok = this.OR2([
            { ALT: () => this.CONSUME3(T.Ident) },
            { ALT: () => this.CONSUME(KW.self) },
            { ALT: () => this.CONSUME(KW.Self) },
            { ALT: () => this.CONSUME(T.Underscore) },
          ]);
          return this.ACTION(() => {
            const name = word(tok);
            return this.mk(start, { kind: "ident" as const, name });
          });
        },
      },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  public parenExpr = this.RULE("parenExpr", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    const savedNoStruct = this.noStruct;
    this.noStruct = false;
    try {
      this.CONSUME(T.LParen);
      const elems: A.Expr[] = [];
      let trailingComma = false;
      this.OPTION(() => {
        elems.push(this.SUBRULE(this.expr));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          trailingComma = true;
          this.OPTION2({
            GATE: () => !isTok(this.LA(1), T.RParen),
            DEF: () => {
              elems.push(this.SUBRULE2(this.expr));
              trailingComma = false;
            },
          });
        });
      });
      this.CONSUME(T.RParen);
      return this.ACTION(() => {
        if (elems.length === 0) return this.mk(start, { kind: "unit" as const });
        if (elems.length === 1 && !trailingComma) {
          // Parenthesised: keep the inner node (its span stays the inner span).
          return elems[0];
        }
        return this.mk(start, { kind: "tuple" as const, elems });
      });
    } finally {
      this.noStruct = savedNoStruct;
    }
  }, { recoveryValueFunc: () => this.errExpr() });

  public closure = this.RULE("closure", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    let capture: "own" | "ref" | "mutref" | undefined;
    this.OPTION(() => {
      this.OR([
        { ALT: () => { this.CONSUME(KW.own); capture = "own"; } },
        { ALT: () => { this.CONSUME(KW.ref); capture = "ref"; } },
        { ALT: () => { this.CONSUME(KW.mut); this.CONSUME2(KW.ref); capture = "mutref"; } },
      ]);
    });
    const params: A.ClosureParam[] = [];
    this.OR2([
      { ALT: () => this.CONSUME(T.PipePipe) },
      {
        ALT: () => {
          this.CONSUME(T.Pipe);
          this.MANY_SEP({
            SEP: T.Comma,
            DEF: () => {
              const pstart = this.ACTION(() => this.startOf());
              const pattern = this.SUBRULE(this.patAtom);
              let type: A.TypeExpr | undefined;
              this.OPTION2(() => {
                this.CONSUME(T.Colon);
                type = this.SUBRULE(this.type);
              });
              this.ACTION(() => params.push(this.mk(pstart, { pattern, type })));
            },
          });
          this.CONSUME2(T.Pipe);
        },
      },
    ]);
    const saved = this.noStruct;
    this.noStruct = false;
    let body: A.Expr;
    try {
      body = this.SUBRULE(this.expr);
    } finally {
      this.noStruct = saved;
    }
    return this.ACTION(() => this.mk(start, { kind: "closure" as const, params, body, capture }));
  }, { recoveryValueFunc: () => this.errExpr() });

  public literal = this.RULE("literal", (): A.Expr => {
    const start = this.ACTION(() => this.startOf());
    const tok = this.OR([
      { ALT: () => this.CONSUME(T.IntLit) },
      { ALT: () => this.CONSUME(T.FloatLit) },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.TripleString) },
      { ALT: () => this.CONSUME(T.FStringLit) },
      { ALT: () => this.CONSUME(T.CharLit) },
      { ALT: () => this.CONSUME(T.ByteLit) },
      { ALT: () => this.CONSUME(T.ByteStringLit) },
      { ALT: () => this.CONSUME(T.CStringLit) },
      { ALT: () => this.CONSUME(KW.true) },
      { ALT: () => this.CONSUME(KW.false) },
    ]);
    return this.ACTION(() => this.literalNode(start, tok));
  }, { recoveryValueFunc: () => this.errExpr() });

  private literalNode(start: number, tok: IToken): A.Expr {
    const text = tok.image;
    switch (tok.tokenType) {
      case T.IntLit: {
        const v = decodeInt(text);
        if (v.problem) this.litProblems(tok, [v.problem]);
        return this.mk(start, { kind: "int" as const, text, value: v.value, suffix: v.suffix });
      }
      case T.FloatLit: {
        const v = decodeFloat(text);
        if (v.problem) this.litProblems(tok, [v.problem]);
        return this.mk(start, { kind: "float" as const, text, value: v.value, suffix: v.suffix });
      }
      case T.StringLit:
      case T.CStringLit: {
        const skip = tok.tokenType === T.CStringLit ? 1 : 0;
        const s = scanQuoted(text, skip, '"');
        if (!s.terminated) {
          this.report(C.UnterminatedString, "unterminated string literal", this.map.span(tok.startOffset, 1 + skip));
          return this.mk(start, { kind: "str" as const, value: text.slice(skip + 1), multiline: false });
        }
        const d = decodeStringBody(text.slice(skip + 1, -1), skip + 1, "text");
        this.litProblems(tok, d.problems);
        return this.mk(start, { kind: "str" as const, value: d.value, multiline: false });
      }
      case T.TripleString: {
        if (text.length < 6 || !text.endsWith('"""')) {
          this.report(C.UnterminatedString, "unterminated multi-line string literal", this.map.span(tok.startOffset, 3));
          return this.mk(start, { kind: "str" as const, value: text.slice(3), multiline: true });
        }
        return this.mk(start, { kind: "str" as const, value: text.slice(3, -3), multiline: true });
      }
      case T.FStringLit:
        return this.fstringNode(start, tok);
      case T.CharLit: {
        const d = decodeCharLiteral(text, 0, false);
        this.litProblems(tok, d.problems);
        return this.mk(start, { kind: "char" as const, value: d.value });
      }
      case T.ByteLit: {
        const d = decodeCharLiteral(text.slice(1), 1, true);
        this.litProblems(tok, d.problems);
        return this.mk(start, { kind: "byte" as const, value: d.value });
      }
      case T.ByteStringLit: {
        const s = scanQuoted(text, 1, '"');
        if (!s.terminated) {
          this.report(C.UnterminatedString, "unterminated byte string literal", this.map.span(tok.startOffset, 2));
          return this.mk(start, { kind: "bytestr" as const, value: [] });
        }
        const d = decodeStringBody(text.slice(2, -1), 2, "bytestr");
        this.litProblems(tok, d.problems);
        return this.mk(start, { kind: "bytestr" as const, value: d.bytes });
      }
      default:
        return this.mk(start, { kind: "bool" as const, value: text === "true" });
    }
  }

  // Builds an f-string node; hole expressions are queued and parsed after the current
  // parse with the same parser (it is not re-entrant).
  private fstringNode(start: number, tok: IToken): A.Expr {
    const split = splitFString(tok.image);
    const base = tok.startOffset;
    for (const p of split.problems) {
      this.report(p.code, p.message, this.map.span(base + p.offset, p.length));
    }
    const parts = split.parts.map((part): string | A.FStringHole => {
      if (typeof part === "string") return part;
      const hole: A.FStringHole = {
        expr: { id: this.nextId++, span: this.map.range(base + part.exprStart, base + part.exprEnd), kind: "error" },
        spec: part.spec,
        span: this.map.range(base + part.start, base + part.end),
      };
      if (part.parse) this.holes.push({ hole, start: base + part.exprStart, end: base + part.exprEnd });
      return hole;
    });
    return this.mk(start, { kind: "fstr" as const, parts });
  }
}

type ListBody =
  | { kind: "elems"; elems: A.Expr[] }
  | { kind: "repeat"; repeat: { value: A.Expr; count: A.Expr } }
  | { kind: "entries"; entries: [A.Expr, A.Expr][] };

