// Grammar layer: patterns and literals (including f-strings).

import type { IToken } from "chevrotain";
import * as T from "./tokens.js";
import { KW } from "./tokens.js";
import type * as A from "./ast.js";
import { SyntaxCodes as C } from "./codes.js";
import { identClass } from "./names.js";
import { decodeInt, decodeFloat, decodeStringBody, decodeCharLiteral, rawTextProblems, scanQuoted } from "./literals.js";
import { splitFString } from "./fstring.js";
import { markMut } from "./treeutil.js";
import { TypeRules } from "./rules-types.js";
import { LIT_START, LITERAL_TOKENS, word, isTok, oneOf, unnamed } from "./grammar-base.js";

// Tokens after a pattern's first name that continue the path pattern: `.`, `(`, `{`, `@`.
const PATH_PATTERN_CONTINUE = [T.Dot, T.LParen, T.LBrace, T.At];

export abstract class PatternRules extends TypeRules {
  public pattern = this.RULE("pattern", (): A.Pattern => {
    const start = this.here();
    const first = this.shortcuts ? this.core(this.patAtom).call(this) : this.SUBRULE(this.patAtom);
    if (this.shortcuts && !isTok(this.LA(1), T.Pipe)) return first;
    return this.orPattern(start, first);
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "wild" as const }) });

  protected orPattern(start: number, first: A.Pattern): A.Pattern {
    const alts: A.Pattern[] = [first];
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      alts.push(this.SUBRULE2(this.patAtom));
    });
    return this.ACTION(() => (alts.length === 1 ? alts[0] : this.mk(start, { kind: "or" as const, alts })));
  }

  public patAtom = this.RULE("patAtom", (): A.Pattern => {
    // Shortcut (see README "Two parsers"): only the path alternative starts with a name.
    if (this.shortcuts && isTok(this.LA(1), T.Ident)) return this.core(this.pathPattern).call(this);
    return this.patAtomAlternatives(this.here());
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "wild" as const }) });

  protected patAtomAlternatives(start: number): A.Pattern {
    return this.OR([
      {
        ALT: unnamed(() => {
          this.CONSUME(T.Underscore);
          return this.ACTION(() => this.mk(start, { kind: "wild" as const }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.DotDot);
          let binding: string | undefined;
          let hi: A.Expr | undefined;
          this.OPTION(() => {
            this.OR7([
              { ALT: unnamed(() => (binding = this.SUBRULE(this.ident).name)) },
              // `..10`: a range open at the start, the end excluded
              { ALT: unnamed(() => (hi = this.SUBRULE5(this.litExpr))) },
            ]);
          });
          return this.ACTION(() => (hi ? this.mk(start, { kind: "range" as const, hi, inclusive: false }) : this.mk(start, { kind: "rest" as const, binding })));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.DotDotEq);
          const hi = this.SUBRULE(this.litExpr);
          return this.ACTION(() => this.mk(start, { kind: "range" as const, hi, inclusive: true }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.mut);
          const inner = this.SUBRULE(this.patAtom);
          return this.ACTION(() => {
            markMut(inner);
            return inner;
          });
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.ref);
          return this.SUBRULE2(this.patAtom);
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.LParen);
          const elems: A.Pattern[] = [];
          let trailingComma = false;
          this.OPTION2(() => {
            elems.push(this.SUBRULE(this.pattern));
            this.MANY(() => {
              this.CONSUME(T.Comma);
              trailingComma = true;
              this.OPTION3({
                GATE: unnamed(() => !isTok(this.LA(1), T.RParen)),
                DEF: unnamed(() => {
                  elems.push(this.SUBRULE2(this.pattern));
                  trailingComma = false;
                }),
              });
            });
          });
          this.CONSUME(T.RParen);
          return this.ACTION(() => (elems.length === 1 && !trailingComma ? elems[0] : this.mk(start, { kind: "tuple" as const, elems })));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.LBracket);
          const elems: A.Pattern[] = [];
          this.MANY_SEP({ SEP: T.Comma, DEF: unnamed(() => elems.push(this.SUBRULE3(this.pattern))) });
          this.CONSUME(T.RBracket);
          return this.ACTION(() => this.mk(start, { kind: "slice" as const, elems }));
        }),
      },
      {
        GATE: unnamed(() => oneOf(this.LA(1), LIT_START)),
        ALT: unnamed(() => {
          const lo = this.SUBRULE2(this.litExpr);
          let range: { hi?: A.Expr; inclusive: boolean } | undefined;
          this.OPTION4(() => {
            this.OR2([
              {
                ALT: unnamed(() => {
                  this.CONSUME2(T.DotDotEq);
                  range = { hi: this.SUBRULE3(this.litExpr), inclusive: true };
                }),
              },
              {
                ALT: unnamed(() => {
                  this.CONSUME2(T.DotDot);
                  range = { inclusive: false };
                  this.OPTION5({
                    GATE: unnamed(() => oneOf(this.LA(1), LIT_START)),
                    DEF: unnamed(() => {
                      range = { hi: this.SUBRULE4(this.litExpr), inclusive: false };
                    }),
                  });
                }),
              },
            ]);
          });
          return this.ACTION(() =>
            range ? this.mk(start, { kind: "range" as const, lo, hi: range.hi, inclusive: range.inclusive }) : this.mk(start, { kind: "lit" as const, value: lo }),
          );
        }),
      },
      { ALT: unnamed(() => this.SUBRULE(this.pathPattern)) },
    ]);
  }

  public pathPattern = this.RULE("pathPattern", (): A.Pattern => {
    // Shortcut: a lone name that nothing follows which continues the pattern (the OR2 below
    // then takes its last alternative).
    if (this.shortcuts && isTok(this.LA(1), T.Ident) && !oneOf(this.LA(2), PATH_PATTERN_CONTINUE)) {
      const start = this.startOf();
      return this.namePattern(start, [word(this.CONSUME(T.Ident))]);
    }
    return this.fullPathPattern(this.here());
  }, { recoveryValueFunc: () => ({ ...this.ph(), kind: "wild" as const }) });

  // A lone lowercase name binds; `None`, `Red`, `Color.Red` name variants.
  protected namePattern(start: number, path: string[]): A.Pattern {
    if (path.length === 1 && identClass(path[0]) === "value") return this.mk(start, { kind: "bind" as const, name: path[0], mut: false });
    return this.mk(start, { kind: "variant" as const, path });
  }

  protected fullPathPattern(start: number): A.Pattern {
    const first = this.OR([{ ALT: unnamed(() => this.CONSUME(T.Ident)) }, { ALT: unnamed(() => this.CONSUME(KW.Self)) }, { ALT: unnamed(() => this.CONSUME(KW.self)) }]);
    const path = [word(first)];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      path.push(word(this.CONSUME2(T.Ident)));
    });
    return this.OR2([
      {
        ALT: unnamed(() => {
          this.CONSUME(T.LParen);
          const args: A.Pattern[] = [];
          this.MANY_SEP({ SEP: T.Comma, DEF: unnamed(() => args.push(this.SUBRULE(this.pattern))) });
          this.CONSUME(T.RParen);
          return this.ACTION(() => this.mk(start, { kind: "variant" as const, path, args }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.LBrace);
          const fields: { name: string; pattern: A.Pattern; span: A.Span }[] = [];
          let rest = false;
          this.MANY2(() => {
            this.OR3([
              {
                ALT: unnamed(() => {
                  this.CONSUME(T.DotDot);
                  rest = true;
                }),
              },
              {
                ALT: unnamed(() => {
                  const fstart = this.here();
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
                }),
              },
            ]);
            this.OR4(this.separator([T.Ident, T.DotDot]));
          });
          this.CONSUME(T.RBrace);
          return this.ACTION(() => this.mk(start, { kind: "struct" as const, path, fields, rest }));
        }),
      },
      {
        GATE: unnamed(() => path.length === 1),
        ALT: unnamed(() => {
          this.CONSUME(T.At);
          const sub = this.SUBRULE(this.patAtom);
          return this.ACTION(() => this.mk(start, { kind: "bind" as const, name: path[0], mut: false, sub }));
        }),
      },
      { ALT: unnamed(() => this.ACTION(() => this.namePattern(start, path))) },
    ]);
  }

  // A literal, optionally negated, as used by patterns.
  public litExpr = this.RULE("litExpr", (): A.Expr => {
    const start = this.here();
    return this.OR([
      {
        ALT: unnamed(() => {
          this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.literal);
          return this.ACTION(() => {
            if (operand.kind === "int") this.withdrawRangeProblem(operand.id);
            return this.mk(start, { kind: "unary" as const, op: "-" as const, operand });
          });
        }),
      },
      { ALT: unnamed(() => this.SUBRULE2(this.literal)) },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  public literal = this.RULE("literal", (): A.Expr => {
    const start = this.here();
    if (this.shortcuts && oneOf(this.LA(1), LITERAL_TOKENS)) return this.literalNode(start, this.CONSUME(this.LA(1).tokenType));
    const tok = this.OR([
      { ALT: unnamed(() => this.CONSUME(T.IntLit)) },
      { ALT: unnamed(() => this.CONSUME(T.FloatLit)) },
      { ALT: unnamed(() => this.CONSUME(T.StringLit)) },
      { ALT: unnamed(() => this.CONSUME(T.TripleString)) },
      { ALT: unnamed(() => this.CONSUME(T.FStringLit)) },
      { ALT: unnamed(() => this.CONSUME(T.CharLit)) },
      { ALT: unnamed(() => this.CONSUME(T.ByteLit)) },
      { ALT: unnamed(() => this.CONSUME(T.ByteStringLit)) },
      { ALT: unnamed(() => this.CONSUME(T.CStringLit)) },
      { ALT: unnamed(() => this.CONSUME(KW.true)) },
      { ALT: unnamed(() => this.CONSUME(KW.false)) },
    ]);
    return this.ACTION(() => this.literalNode(start, tok));
  }, { recoveryValueFunc: () => this.errExpr() });

  protected literalNode(start: number, tok: IToken): A.Expr {
    const text = tok.image;
    switch (tok.tokenType) {
      case T.IntLit: {
        const v = decodeInt(text);
        if (v.problem) this.litProblems(tok, [v.problem]);
        const node = this.mk(start, { kind: "int" as const, text, value: v.value, suffix: v.suffix });
        // Withdrawn by a unary minus applied directly to this literal (`-2147483648i32`).
        if (v.fitsNegated) this.negatableLiterals.set(node.id, this.custom[this.custom.length - 1]);
        return node;
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
        this.litProblems(tok, rawTextProblems(text.slice(3, -3), 3));
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
  protected fstringNode(start: number, tok: IToken): A.Expr {
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
