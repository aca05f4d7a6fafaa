// Grammar layer: expressions. Binary operators are parsed flat and built by precedence
// climbing; `{` after a path is a struct literal only outside conditions (noStruct).

import type { IOrAlt, IToken } from "chevrotain";
import * as T from "./tokens.js";
import { KW } from "./tokens.js";
import type * as A from "./ast.js";
import { SyntaxCodes as C } from "./codes.js";
import { pathOf, exprToTypeArg } from "./treeutil.js";
import { PatternRules } from "./rules-patterns.js";
import { ASSIGN_OPS, BLOCK_LIKE_START, LOOP_KW, BLOCK_LIKE_KINDS, CMP_PREC, PRECEDENCE, BINARY_OPS, OP_NAME, LITERAL_TOKENS, MAX_NESTING, NestingLimitError, word, isTok, oneOf, unnamed } from "./grammar-base.js";

export abstract class ExprRules extends PatternRules {
  // Operator alternatives depend on no per-call state, so they are built once.
  private assignOpAlts?: IOrAlt<IToken>[];
  private binaryOpAlts?: IOrAlt<IToken>[];

  public assignOp = this.RULE("assignOp", (): A.AssignOp => {
    const tok = this.OR((this.assignOpAlts ??= ASSIGN_OPS.map((t) => ({ ALT: unnamed(() => this.CONSUME(t)) }))));
    return tok.image as A.AssignOp;
  }, { recoveryValueFunc: () => "=" as A.AssignOp });

  public expr = this.RULE("expr", (pre?: LeftOperand): A.Expr => {
    if (pre) return this.exprFromOperand(pre.start, pre);
    const start = this.here();
    if (this.shortcuts && !oneOf(this.LA(1), RANGE_OPS)) return this.exprFromOperand(start);
    return this.rangeOrOperand(start);
  }, { recoveryValueFunc: () => this.errExpr() });

  // The alternatives of `expr`. Rule bodies keep what their callbacks capture out of the hot path
  // (in methods like this one): a variable captured by a closure is allocated on every call of
  // the function that declares it, also when the shortcut returns before any closure is made.
  protected rangeOrOperand(start: number): A.Expr {
    return this.OR([
      {
        ALT: unnamed(() => {
          const op = this.OR2([{ ALT: unnamed(() => this.CONSUME(T.DotDot)) }, { ALT: unnamed(() => this.CONSUME(T.DotDotEq)) }]);
          let hi: A.Expr | undefined;
          this.OPTION({
            GATE: unnamed(() => this.canStartExpr()),
            DEF: unnamed(() => {
              hi = this.SUBRULE(this.binExpr);
            }),
          });
          return this.ACTION(() => this.mk(start, { kind: "range" as const, hi, inclusive: op.tokenType === T.DotDotEq }));
        }),
      },
      { ALT: unnamed(() => this.exprFromOperand(start)) },
    ]);
  }

  // The second alternative of `expr`: an operand, optionally followed by `..hi` / `..=hi`.
  protected exprFromOperand(start: number, pre?: LeftOperand): A.Expr {
    const lo = this.shortcuts ? this.core(this.binExpr).call(this, pre) : this.SUBRULE2(this.binExpr, { ARGS: [pre] });
    if (this.shortcuts && !oneOf(this.LA(1), RANGE_OPS)) return lo;
    return this.rangeAfter(start, lo);
  }

  protected rangeAfter(start: number, lo: A.Expr): A.Expr {
    let r: { hi?: A.Expr; inclusive: boolean } | undefined;
    this.OPTION2(() => {
      const op = this.OR3([{ ALT: unnamed(() => this.CONSUME2(T.DotDot)) }, { ALT: unnamed(() => this.CONSUME2(T.DotDotEq)) }]);
      r = { inclusive: op.tokenType === T.DotDotEq };
      this.OPTION3({
        GATE: unnamed(() => this.canStartExpr()),
        DEF: unnamed(() => {
          r!.hi = this.SUBRULE3(this.binExpr);
        }),
      });
    });
    return this.ACTION(() => (r ? this.mk(start, { kind: "range" as const, lo, hi: r.hi, inclusive: r.inclusive }) : lo));
  }

  // All binary operators in one rule: operands and operators are collected flat and the
  // tree is built by precedence climbing. One rule instead of one per level keeps the
  // call depth per nesting level small and parsing fast.
  public binExpr = this.RULE("binExpr", (pre?: LeftOperand): A.Expr => {
    const first = this.shortcuts ? this.core(this.castExpr).call(this, pre) : this.SUBRULE(this.castExpr, { ARGS: [pre] });
    if (this.shortcuts && !PRECEDENCE.has(this.LA(1).tokenType)) return first;
    return this.operatorChain(first);
  }, { recoveryValueFunc: () => this.errExpr() });

  protected operatorChain(first: A.Expr): A.Expr {
    const operands: A.Expr[] = [first];
    const ops: IToken[] = [];
    if (this.shortcuts) {
      // The MANY below as a loop: it continues exactly while the next token is an operator.
      while (PRECEDENCE.has(this.LA(1).tokenType)) {
        ops.push(this.CONSUME(this.LA(1).tokenType));
        operands.push(this.core(this.castExpr).call(this));
      }
      return ops.length === 0 ? first : this.buildBinary(operands, ops);
    }
    this.MANY(() => {
      const op = this.OR((this.binaryOpAlts ??= BINARY_OPS.map((t) => ({ ALT: unnamed(() => this.CONSUME(t)) }))));
      const right = this.SUBRULE2(this.castExpr);
      this.ACTION(() => {
        ops.push(op);
        operands.push(right);
      });
    });
    return this.ACTION(() => (ops.length === 0 ? first : this.buildBinary(operands, ops)));
  }

  protected wordOperator(tok: IToken, word: string, replacement: string): void {
    const span = this.tokSpan(tok);
    this.report(C.LogicalOperator, `\`${tok.image}\` is not a Kāra operator; use \`${word}\``, span, {
      fixes: [{ message: `replace with \`${word}\``, span, replacement }],
    });
  }

  protected buildBinary(operands: A.Expr[], ops: IToken[]): A.Expr {
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

  public castExpr = this.RULE("castExpr", (pre?: LeftOperand): A.Expr => {
    const start = pre ? pre.start : this.here();
    const operand = this.shortcuts ? this.core(this.unary).call(this, pre) : this.SUBRULE(this.unary, { ARGS: [pre] });
    if (this.shortcuts && !isTok(this.LA(1), KW.as)) return operand;
    return this.casts(start, operand);
  }, { recoveryValueFunc: () => this.errExpr() });

  protected casts(start: number, operand: A.Expr): A.Expr {
    let e = operand;
    this.MANY(() => {
      this.CONSUME(KW.as);
      const saved = this.inCast;
      this.inCast = true;
      let type: A.TypeExpr;
      try {
        type = this.SUBRULE(this.type);
      } finally {
        this.inCast = saved;
      }
      this.ACTION(() => (e = this.mk(start, { kind: "cast" as const, expr: e, type })));
    });
    return e;
  }

  public unary = this.RULE("unary", (pre?: LeftOperand): A.Expr => {
    if (pre) return this.shortcuts ? this.core(this.postfix).call(this, pre) : this.SUBRULE(this.postfix, { ARGS: [pre] });
    if (this.shortcuts && !oneOf(this.LA(1), PREFIX_OPS)) return this.core(this.postfix).call(this);
    return this.prefixed(this.here());
  }, { recoveryValueFunc: () => this.errExpr() });

  protected prefixed(start: number): A.Expr {
    return this.OR([
      {
        ALT: unnamed(() => {
          const op = this.OR2([
            { ALT: unnamed(() => this.CONSUME(T.Minus)) },
            { ALT: unnamed(() => this.CONSUME(KW.not)) },
            { ALT: unnamed(() => this.CONSUME(T.Tilde)) },
            { ALT: unnamed(() => this.CONSUME(T.Star)) },
            { ALT: unnamed(() => this.CONSUME(T.Bang)) },
          ]);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION(() => {
            let o = op.image as "-" | "not" | "~" | "*";
            if (op.tokenType === T.Bang) {
              this.wordOperator(op, "not", "not ");
              o = "not";
            }
            if (o === "-" && operand.kind === "int") this.withdrawRangeProblem(operand.id);
            return this.mk(start, { kind: "unary" as const, op: o, operand });
          });
        }),
      },
      {
        // `&x` / `&mut x`: Kāra passes by mode, not by borrow expression
        ALT: unnamed(() => {
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
        }),
      },
      { ALT: unnamed(() => this.SUBRULE(this.postfix)) },
    ]);
  }

  // Postfix chain. `{` continues the chain only as a struct literal: after a path, outside
  // a condition, and when the brace content looks like fields.
  public postfix = this.RULE("postfix", (pre?: LeftOperand): A.Expr => {
    const start = pre ? pre.start : this.here();
    let e = pre ? pre.expr : this.shortcuts ? this.core(this.primary).call(this) : this.SUBRULE(this.primary);
    if (!this.shortcuts) return this.postfixSteps(start, e, false);
    // The MANY of postfixSteps as a loop, with a call's arguments and a `.name` member parsed
    // directly (the OR picks the same alternatives for `(` and `.`). In the rule body itself,
    // so nested calls take no extra frame per level.
    while (this.postfixAhead(e)) {
      const t = this.LA(1);
      if (isTok(t, T.LParen)) e = this.mk(start, { kind: "call" as const, callee: e, args: this.core(this.callArgs).call(this) });
      else if (isTok(t, T.Dot)) {
        const dot = this.CONSUME(T.Dot);
        const name = this.core(this.memberName).call(this);
        const args = isTok(this.LA(1), T.LParen) ? this.core(this.callArgs).call(this) : undefined;
        e = this.memberNode(start, e, dot, name, args);
      } else e = this.postfixSteps(start, e, true);
    }
    return e;
  }, { recoveryValueFunc: () => this.errExpr() });

  // `e.name` / `e.name(args)` after `.`, `::` (reported) or `?.`.
  protected memberNode(start: number, e: A.Expr, dot: IToken, name: A.Ident, args: A.Arg[] | undefined): A.Expr {
    if (dot.tokenType === T.ColonColon) {
      const span = this.tokSpan(dot);
      this.report(C.PathSeparator, "`::` is not a Kāra path separator; use `.`", span, { fixes: [{ message: "replace with `.`", span, replacement: "." }] });
    }
    const optional = dot.tokenType === T.QuestionDot;
    if (args) {
      const call: A.Expr = this.mk(start, { kind: "methodCall" as const, receiver: e, method: name, args });
      if (optional && call.kind === "methodCall") call.optional = true;
      return call;
    }
    return this.mk(start, { kind: "field" as const, object: e, name, optional });
  }

  // Postfix steps after `operand`: all of them (MANY), or just one (`once`, for the loop above).
  protected postfixSteps(start: number, operand: A.Expr, once: boolean): A.Expr {
    let e = operand;
    const step = unnamed(() => {
      this.OR([
        {
          ALT: unnamed(() => {
            const dot = this.OR2([{ ALT: unnamed(() => this.CONSUME(T.Dot)) }, { ALT: unnamed(() => this.CONSUME(T.ColonColon)) }, { ALT: unnamed(() => this.CONSUME(T.QuestionDot)) }]);
            const name = this.SUBRULE(this.memberName);
            let args: A.Arg[] | undefined;
            this.OPTION(() => {
              args = this.SUBRULE(this.callArgs);
            });
            this.ACTION(() => (e = this.memberNode(start, e, dot, name, args)));
          }),
        },
        {
          // `println!(..)`, `vec![..]`: Rust macros
          GATE: unnamed(() => e.kind === "ident"),
          ALT: unnamed(() => {
            const bang = this.CONSUME(T.Bang);
            let list: A.Expr | undefined;
            const name = e.kind === "ident" ? e.name : "";
            this.OPTION2({
              GATE: unnamed(() => name === "vec" && isTok(this.LA(1), T.LBracket)),
              DEF: unnamed(() => {
                list = this.SUBRULE2(this.primary);
              }),
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
          }),
        },
        {
          ALT: unnamed(() => {
            const args = this.SUBRULE2(this.callArgs);
            this.ACTION(() => (e = this.mk(start, { kind: "call" as const, callee: e, args })));
          }),
        },
        {
          ALT: unnamed(() => {
            this.CONSUME(T.Question);
            this.ACTION(() => (e = this.mk(start, { kind: "try" as const, expr: e })));
          }),
        },
        {
          ALT: unnamed(() => {
            const r = this.SUBRULE(this.bracketSuffix, { ARGS: [e, start] });
            this.ACTION(() => (e = r));
          }),
        },
        {
          ALT: unnamed(() => {
            const r = this.SUBRULE(this.structLitBody, { ARGS: [e, start] });
            this.ACTION(() => (e = r));
          }),
        },
      ]);
    });
    if (once) step();
    else this.MANY({ GATE: unnamed(() => this.postfixAhead(e)), DEF: step });
    return e;
  }

  protected postfixAhead(e: A.Expr): boolean {
    const t = this.LA(1);
    if (oneOf(t, POSTFIX_START)) return true;
    if (isTok(t, T.ColonColon)) return true;
    if (isTok(t, T.Bang)) return e.kind === "ident" && (isTok(this.LA(2), T.LParen) || isTok(this.LA(2), T.LBracket));
    if (isTok(t, T.LBrace)) return !this.noStruct && pathOf(e) !== undefined && this.structBodyAhead();
    return false;
  }

  protected structBodyAhead(): boolean {
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
      if (this.shortcuts) {
        // The OPTION / MANY / OPTION2 below as plain code, calling `arg` directly.
        if (!isTok(this.LA(1), T.RParen)) {
          args.push(this.core(this.arg).call(this));
          while (isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RParen)) {
            this.CONSUME3(T.Comma);
            args.push(this.core(this.arg).call(this));
          }
          if (isTok(this.LA(1), T.Comma)) this.CONSUME4(T.Comma);
        }
        this.CONSUME2(T.RParen);
        return args;
      }
      this.OPTION(() => {
        args.push(this.SUBRULE(this.arg));
        this.MANY({
          GATE: unnamed(() => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RParen)),
          DEF: unnamed(() => {
            this.CONSUME(T.Comma);
            args.push(this.SUBRULE2(this.arg));
          }),
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
    if (this.shortcuts) {
      // Shortcut: none of the three OPTIONs below starts here (a label, `mut`, `ref`).
      const t = this.LA(1);
      if (!isTok(t, KW.mut) && !isTok(t, KW.ref) && !(isTok(t, T.Ident) && isTok(this.LA(2), T.Colon))) {
        const start = this.startOf();
        const value = this.core(this.expr).call(this);
        return this.mk(start, { value, mutMarker: false, label: undefined });
      }
    }
    return this.argWithMarkers(this.here());
  }, { recoveryValueFunc: () => ({ ...this.ph(), value: this.errExpr(), mutMarker: false }) });

  protected argWithMarkers(start: number): A.Arg {
    let mutMarker = false;
    let label: string | undefined;
    this.OPTION({
      GATE: unnamed(() => isTok(this.LA(1), T.Ident) && isTok(this.LA(2), T.Colon)),
      DEF: unnamed(() => {
        label = this.SUBRULE(this.ident).name;
        this.CONSUME(T.Colon);
      }),
    });
    this.OPTION2({
      GATE: unnamed(() => !isTok(this.LA(2), KW.ref)),
      DEF: unnamed(() => {
        this.CONSUME(KW.mut);
        mutMarker = true;
      }),
    });
    this.OPTION3({
      // `f(ref x)`: `ref` is never written at a call site (a `ref |..|` closure is fine)
      GATE: unnamed(() => !isTok(this.LA(2), T.Pipe) && !isTok(this.LA(2), T.PipePipe)),
      DEF: unnamed(() => {
        const r = this.CONSUME(KW.ref);
        this.ACTION(() => {
          const span = this.map.range(r.startOffset, this.LA(1).startOffset);
          this.report(C.RefAtCallSite, "`ref` is not written at a call site; pass the value and the parameter borrows it", this.tokSpan(r), {
            fixes: [{ message: "remove `ref`", span, replacement: "" }],
          });
        });
      }),
    });
    const value = this.shortcuts ? this.core(this.expr).call(this) : this.SUBRULE(this.expr);
    return this.ACTION(() => this.mk(start, { value, mutMarker, label }));
  }

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
        if (prefix === undefined) {
          this.report(C.Syntax, "`[v; n]` and `[k: v]` literals take a type name prefix (`Array[0; 8]`, `Map[\"k\": 1]`), not an expression", object.span);
        }
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
          ALT: unnamed(() => {
            this.CONSUME(T.Semi);
            const count = this.SUBRULE2(this.expr);
            repeat = { value: first, count };
          }),
        },
        {
          ALT: unnamed(() => {
            isMap = true;
            this.CONSUME(T.Colon);
            const v = this.SUBRULE3(this.expr);
            entries.push([first, v]);
            this.MANY({
              GATE: unnamed(() => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RBracket)),
              DEF: unnamed(() => {
                this.CONSUME(T.Comma);
                const k = this.SUBRULE4(this.expr);
                this.CONSUME2(T.Colon);
                const v2 = this.SUBRULE5(this.expr);
                entries.push([k, v2]);
              }),
            });
            this.OPTION2(() => this.CONSUME2(T.Comma));
          }),
        },
        {
          ALT: unnamed(() => {
            elems.push(first);
            this.MANY2({
              GATE: unnamed(() => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RBracket)),
              DEF: unnamed(() => {
                this.CONSUME3(T.Comma);
                elems.push(this.SUBRULE6(this.expr));
              }),
            });
            this.OPTION3(() => this.CONSUME4(T.Comma));
          }),
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
          ALT: unnamed(() => {
            this.CONSUME(T.DotDot);
            base = this.SUBRULE(this.expr);
          }),
        },
        {
          ALT: unnamed(() => {
            const name = this.SUBRULE(this.ident);
            let value: A.Expr | undefined;
            this.OPTION(() => {
              this.CONSUME(T.Colon);
              value = this.SUBRULE2(this.expr);
            });
            this.ACTION(() => fields.push({ name, value: value ?? { id: this.nextId++, span: name.span, kind: "ident", name: name.name } }));
          }),
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

  protected labelAhead(): boolean {
    return isTok(this.LA(1), T.Ident) && isTok(this.LA(2), T.Colon) && oneOf(this.LA(3), LOOP_KW);
  }

  // if / match / loops / blocks / par / seq / lock, and labelled forms.
  public blockLike = this.RULE("blockLike", (): A.Expr => {
    if (this.shortcuts) {
      // The alternatives below that one token decides, called directly.
      const t = this.LA(1);
      if (isTok(t, KW.if)) return this.core(this.ifExpr).call(this);
      if (isTok(t, KW.match)) return this.core(this.matchExpr).call(this);
      if (isTok(t, T.LBrace)) return this.core(this.block).call(this);
    }
    return this.OR([
      { ALT: unnamed(() => this.SUBRULE(this.ifExpr)) },
      { ALT: unnamed(() => this.SUBRULE(this.matchExpr)) },
      { ALT: unnamed(() => this.SUBRULE(this.loopExpr)) },
      { GATE: unnamed(() => this.labelAhead()), ALT: unnamed(() => this.SUBRULE(this.labeled)) },
      { GATE: unnamed(() => this.providersAhead()), ALT: unnamed(() => this.SUBRULE(this.providersExpr)) },
      { ALT: unnamed(() => this.SUBRULE(this.block) as A.Expr) },
      {
        ALT: unnamed(() => {
          const start = this.here();
          const kw = this.OR2([{ ALT: unnamed(() => this.CONSUME(KW.par)) }, { ALT: unnamed(() => this.CONSUME(KW.seq)) }, { ALT: unnamed(() => this.CONSUME(KW.unsafe)) }]);
          const body = this.SUBRULE2(this.block);
          return this.ACTION(() => {
            if (kw.tokenType === KW.unsafe) {
              (body as A.Block).unsafe = true;
              return body;
            }
            return this.mk(start, { kind: kw.image as "par" | "seq", body });
          });
        }),
      },
      { ALT: unnamed(() => this.SUBRULE(this.lockExpr)) },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  public labeled = this.RULE("labeled", (): A.Expr => {
    const start = this.here();
    const label = word(this.CONSUME(T.Ident));
    this.CONSUME(T.Colon);
    this.labels.push(label);
    try {
      const e = this.OR([{ ALT: unnamed(() => this.SUBRULE(this.loopExpr)) }, { ALT: unnamed(() => this.SUBRULE(this.block) as A.Expr) }]);
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
      const e = this.shortcuts ? this.core(this.expr).call(this) : this.SUBRULE(this.expr);
      this.ACTION(() => {
        // `if x = 5 {`: the syntax error at `=` gets a more useful message
        const t = this.LA(1);
        if (isTok(t, T.Eq)) this.report(C.Syntax, "expected `{` after the condition, found `=`; use `==` to compare", this.tokSpan(t));
      });
      return e;
    } finally {
      this.noStruct = saved;
    }
  }, { recoveryValueFunc: () => this.errExpr() });

  // `if` with its `else if` chain. The chain is parsed in a loop, not by recursion, so a chain
  // of thousands of branches needs no deeper call stack than a single `if`; the nested tree is
  // built afterwards, innermost first (the node ids come out as a recursive parse gives them).
  public ifExpr = this.RULE("ifExpr", (): A.Expr => {
    const start = this.here();
    this.CONSUME(KW.if);
    // The first head is parsed in this rule, not through `ifHead`: one rule less per level of
    // `if` nested in a block.
    let head: IfHead;
    if (this.shortcuts && !isTok(this.LA(1), KW.let)) {
      // ifHeadBody's second alternative, inline: one frame less per nested `if`.
      const cond = this.core(this.condExpr).call(this);
      head = { kind: "if" as const, cond, then: this.core(this.block).call(this) };
    } else head = this.ifHeadBody();
    const tail = this.SUBRULE(this.elseTail);
    return this.ACTION(() => {
      if (tail.links.length + 1 > MAX_NESTING) throw new NestingLimitError(`an \`else if\` chain of more than ${MAX_NESTING} branches`);
      let els = tail.final;
      for (let i = tail.links.length - 1; i >= 0; i--) els = this.ifNode(tail.links[i].start, tail.links[i].head, els);
      return this.ifNode(start, head, els);
    });
  }, { recoveryValueFunc: () => this.errExpr() });

  protected ifNode(start: number, head: IfHead, els: A.Expr | undefined): A.Expr {
    if (head.kind === "ifLet") return this.mk(start, { kind: "ifLet" as const, pattern: head.pattern, value: head.value, then: head.then, else: els });
    return this.mk(start, { kind: "if" as const, cond: head.cond, then: head.then, else: els });
  }

  // What follows `if` in an `else if` link.
  public ifHead = this.RULE("ifHead", (): IfHead => this.ifHeadBody(), {
    recoveryValueFunc: () => ({ kind: "if" as const, cond: this.errExpr(), then: { ...this.ph(), kind: "block" as const, stmts: [] } }),
  });

  // What follows `if`: a condition (or `let pattern = value`) and the block.
  protected ifHeadBody(): IfHead {
    if (this.shortcuts && !isTok(this.LA(1), KW.let)) return this.ifCondHead();
    return this.OR([
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.let);
          const pattern = this.SUBRULE(this.pattern);
          this.CONSUME(T.Eq);
          const value = this.SUBRULE(this.condExpr);
          const then = this.SUBRULE(this.block);
          return { kind: "ifLet" as const, pattern, value, then };
        }),
      },
      {
        ALT: unnamed(() => {
          const cond = this.SUBRULE2(this.condExpr);
          const then = this.SUBRULE2(this.block);
          return { kind: "if" as const, cond, then };
        }),
      },
    ]);
  }

  // In shortcut mode, the second alternative of ifHeadBody (no `let`), with direct rule calls.
  protected ifCondHead(): IfHead {
    const cond = this.core(this.condExpr).call(this);
    const then = this.core(this.block).call(this);
    return { kind: "if" as const, cond, then };
  }

  // `else if ...` links, each with the offset of its `if`, then an optional final `else { }`.
  public elseTail = this.RULE("elseTail", (): ElseChain => {
    const links: ElseChain["links"] = [];
    let final: A.Expr | undefined;
    this.MANY({
      GATE: unnamed(() => final === undefined),
      DEF: unnamed(() => {
        this.CONSUME(KW.else);
        this.OR([
          {
            ALT: unnamed(() => {
              const start = this.here();
              this.CONSUME(KW.if);
              const head = this.SUBRULE(this.ifHead);
              this.ACTION(() => links.push({ start, head }));
            }),
          },
          { ALT: unnamed(() => (final = this.SUBRULE(this.block) as A.Expr)) },
        ]);
      }),
    });
    return { links, final };
  }, { recoveryValueFunc: () => ({ links: [] }) });

  public loopExpr = this.RULE("loopExpr", (): A.Expr => {
    const start = this.here();
    return this.OR([
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.loop);
          const body = this.SUBRULE(this.block);
          return this.ACTION(() => this.mk(start, { kind: "loop" as const, body }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.while);
          return this.OR2([
            {
              ALT: unnamed(() => {
                this.CONSUME(KW.let);
                const pattern = this.SUBRULE(this.pattern);
                this.CONSUME(T.Eq);
                const value = this.SUBRULE(this.condExpr);
                const body = this.SUBRULE2(this.block);
                return this.ACTION(() => this.mk(start, { kind: "whileLet" as const, pattern, value, body }));
              }),
            },
            {
              ALT: unnamed(() => {
                const cond = this.SUBRULE2(this.condExpr);
                const body = this.SUBRULE3(this.block);
                return this.ACTION(() => this.mk(start, { kind: "while" as const, cond, body }));
              }),
            },
          ]);
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.for);
          const pattern = this.SUBRULE2(this.pattern);
          this.CONSUME(KW.in);
          const iter = this.SUBRULE3(this.condExpr);
          const body = this.SUBRULE4(this.block);
          return this.ACTION(() => this.mk(start, { kind: "for" as const, pattern, iter, body }));
        }),
      },
    ]);
  }, { recoveryValueFunc: () => this.errExpr() });

  public matchExpr = this.RULE("matchExpr", (): A.Expr => {
    const start = this.here();
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
    const start = this.here();
    const pattern = this.SUBRULE(this.pattern);
    let guard: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(KW.if);
      guard = this.SUBRULE(this.expr);
    });
    this.CONSUME(T.FatArrow);
    // A block body ends the arm: `=> { .. }` followed by `(a, b) => ..` is the next arm, not a call.
    const body = this.OR3([
      { GATE: unnamed(() => isTok(this.LA(1), T.LBrace)), ALT: unnamed(() => this.SUBRULE(this.block) as A.Expr) },
      { ALT: unnamed(() => this.SUBRULE2(this.expr)) },
    ]);
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
      { ALT: unnamed(() => this.CONSUME(T.Comma)) },
      { GATE: unnamed(() => isTok(this.LA(1), T.RBrace)), ALT: unnamed(() => this.LA(1)) },
      {
        GATE: unnamed(() => BLOCK_LIKE_KINDS.has(body.kind)),
        ALT: unnamed(() => this.LA(1)),
      },
      {
        ALT: unnamed(() => {
          // missing comma after an expression arm: report and go on with the next arm
          this.ACTION(() => this.report(C.MissingComma, "expected `,` after a match arm expression", this.map.span(bodyEnd, 0)));
          return this.LA(1);
        }),
      },
    ]);
    return this.ACTION(() => this.mk(start, { pattern, guard, body }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), pattern: { ...this.ph(), kind: "wild" as const }, body: this.errExpr() }) });

  public lockExpr = this.RULE("lockExpr", (): A.Expr => {
    const start = this.here();
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
    const start = this.here();
    if (this.shortcuts) {
      const t = this.LA(1);
      if (oneOf(t, LITERAL_TOKENS)) return this.SUBRULE(this.literal);
      if (this.providersAhead()) return this.SUBRULE(this.providersExpr);
      if (isTok(t, T.Ident) && !this.labelAhead()) return this.mk(start, { kind: "ident" as const, name: word(this.CONSUME3(T.Ident)) });
    }
    return this.primaryAlternatives(start);
  }, { recoveryValueFunc: () => this.errExpr() });

  protected primaryAlternatives(start: number): A.Expr {
    return this.OR([
      { ALT: unnamed(() => this.SUBRULE(this.literal)) },
      {
        // In a condition a bare `{` is the body, never an operand.
        GATE: unnamed(() => (oneOf(this.LA(1), BLOCK_LIKE_START) && !(this.noStruct && isTok(this.LA(1), T.LBrace))) || this.labelAhead()),
        ALT: unnamed(() => this.SUBRULE(this.blockLike)),
      },
      { ALT: unnamed(() => this.SUBRULE(this.parenExpr)) },
      {
        ALT: unnamed(() => {
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
        }),
      },
      { ALT: unnamed(() => this.SUBRULE(this.closure)) },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.return);
          let value: A.Expr | undefined;
          this.OPTION({ GATE: unnamed(() => this.canStartExpr()), DEF: unnamed(() => (value = this.SUBRULE(this.expr))) });
          return this.ACTION(() => this.mk(start, { kind: "return" as const, value }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.break);
          let label: string | undefined;
          let value: A.Expr | undefined;
          this.OPTION2({
            GATE: unnamed(() => isTok(this.LA(1), T.Ident) && this.labels.includes(this.LA(1).image)),
            DEF: unnamed(() => (label = word(this.CONSUME(T.Ident)))),
          });
          this.OPTION3({ GATE: unnamed(() => this.canStartExpr()), DEF: unnamed(() => (value = this.SUBRULE2(this.expr))) });
          return this.ACTION(() => this.mk(start, { kind: "break" as const, label, value }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.continue);
          let label: string | undefined;
          this.OPTION4({ GATE: unnamed(() => isTok(this.LA(1), T.Ident)), DEF: unnamed(() => (label = word(this.CONSUME2(T.Ident)))) });
          return this.ACTION(() => this.mk(start, { kind: "continue" as const, label }));
        }),
      },
      { GATE: unnamed(() => this.providersAhead()), ALT: unnamed(() => this.SUBRULE(this.providersExpr)) },
      {
        ALT: unnamed(() => {
          const tok = this.OR2([
            { ALT: unnamed(() => this.CONSUME3(T.Ident)) },
            { ALT: unnamed(() => this.CONSUME(KW.self)) },
            { ALT: unnamed(() => this.CONSUME(KW.Self)) },
            { ALT: unnamed(() => this.CONSUME(T.Underscore)) },
          ]);
          return this.ACTION(() => {
            const name = word(tok);
            return this.mk(start, { kind: "ident" as const, name });
          });
        }),
      },
    ]);
  }

  // `providers { R => e, S => f } in { body }` (karac's multi-provider scope). `providers` is
  // recognised only in this shape, so it stays usable as a name elsewhere. The checker receives it
  // as a call `$providers[R, S](e, f, || { body })` (check/providers.ts), the shape of
  // `with_provider[R](e, || body)`.
  protected providersAhead(): boolean {
    const t = this.LA(1);
    if (!isTok(t, T.Ident) || t.image !== "providers" || !isTok(this.LA(2), T.LBrace)) return false;
    const t3 = this.LA(3);
    return (isTok(t3, T.RBrace) && isTok(this.LA(4), KW.in)) || (isTok(t3, T.Ident) && isTok(this.LA(4), T.FatArrow));
  }

  public providersExpr = this.RULE("providersExpr", (): A.Expr => {
    const start = this.here();
    const head = this.CONSUME(T.Ident);
    this.CONSUME(T.LBrace);
    const names: A.Expr[] = [];
    const values: A.Arg[] = [];
    this.MANY(() => {
      const nstart = this.here();
      const name = this.CONSUME2(T.Ident);
      this.ACTION(() => names.push(this.mk(nstart, { kind: "ident" as const, name: word(name) })));
      this.CONSUME(T.FatArrow);
      const vstart = this.here();
      const value = this.SUBRULE(this.expr);
      this.ACTION(() => values.push(this.mk(vstart, { value, mutMarker: false })));
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBrace);
    this.CONSUME(KW.in);
    const bstart = this.here();
    const body = this.SUBRULE(this.block);
    return this.ACTION(() => {
      const headSpan = this.tokSpan(head);
      const callee = this.mk(start, {
        kind: "index" as const,
        object: { id: this.nextId++, span: headSpan, kind: "ident" as const, name: "$providers" },
        indices: names,
      });
      const closure = this.mk(bstart, { kind: "closure" as const, params: [], body: body as A.Expr });
      values.push(this.mk(bstart, { value: closure, mutMarker: false }));
      return this.mk(start, { kind: "call" as const, callee, args: values });
    });
  }, { recoveryValueFunc: () => this.errExpr() });

  public parenExpr = this.RULE("parenExpr", (): A.Expr => {
    const start = this.here();
    if (!this.RECORDING_PHASE && this.longParenRunAhead()) return this.parenRun();
    this.CONSUME(T.LParen);
    return this.parenGroupRest(start);
  }, { recoveryValueFunc: () => this.errExpr() });

  // Short runs of `(` are parsed recursively like any nesting: the rule stack that builds up
  // gives error recovery its usual resync points. Long runs would exhaust the call stack.
  protected longParenRunAhead(): boolean {
    for (let k = 1; k <= LONG_PAREN_RUN; k++) if (!isTok(this.LA(k), T.LParen)) return false;
    return true;
  }

  // A long run of `(`, as in `((((x)) + 1))`. The outer levels are opened in a loop, the
  // innermost is parsed as usual, and then each outer level is finished with the level inside
  // it as the leftmost operand of its first element. The call stack stays as deep as for one
  // level, however long the run; MAX_NESTING still bounds it for the later phases.
  protected parenRun(): A.Expr {
    const starts: number[] = [];
    while (isTok(this.LA(1), T.LParen) && isTok(this.LA(2), T.LParen)) {
      starts.push(this.LA(1).startOffset);
      this.CONSUME(T.LParen);
    }
    if (starts.length + 1 > MAX_NESTING) throw new NestingLimitError(`more than ${MAX_NESTING} nested parentheses`);
    const innermost = this.startOf();
    this.CONSUME(T.LParen);
    let inner = this.parenGroupRest(innermost);
    for (let i = starts.length - 1; i >= 0; i--) {
      inner = this.parenGroupRest(starts[i], { expr: inner, start: i + 1 < starts.length ? starts[i + 1] : innermost });
    }
    return inner;
  }

  // `e, ...)` after a `(` at `start`; `first`, when given, is the already parsed leftmost
  // operand of the first element.
  protected parenGroupRest(start: number, first?: LeftOperand): A.Expr {
    const savedNoStruct = this.noStruct;
    this.noStruct = false;
    try {
      const elems: A.Expr[] = [];
      const trailing = { comma: false };
      if (first) this.parenElems(elems, trailing, first);
      else this.OPTION(() => this.parenElems(elems, trailing, undefined));
      this.CONSUME(T.RParen);
      return this.ACTION(() => {
        if (elems.length === 0) return this.mk(start, { kind: "unit" as const });
        if (elems.length === 1 && !trailing.comma) {
          // Parenthesised: keep the inner node (its span stays the inner span).
          return elems[0];
        }
        return this.mk(start, { kind: "tuple" as const, elems });
      });
    } finally {
      this.noStruct = savedNoStruct;
    }
  }

  protected parenElems(elems: A.Expr[], trailing: { comma: boolean }, first: LeftOperand | undefined): void {
    elems.push(this.SUBRULE(this.expr, { ARGS: [first] }));
    this.MANY(() => {
      this.CONSUME(T.Comma);
      trailing.comma = true;
      this.OPTION2({
        GATE: unnamed(() => !isTok(this.LA(1), T.RParen)),
        DEF: unnamed(() => {
          elems.push(this.SUBRULE2(this.expr));
          trailing.comma = false;
        }),
      });
    });
  }

  public closure = this.RULE("closure", (): A.Expr => {
    const start = this.here();
    let capture: "own" | "ref" | "mutref" | undefined;
    this.OPTION(() => {
      this.OR([
        { ALT: unnamed(() => { this.CONSUME(KW.own); capture = "own"; }) },
        { ALT: unnamed(() => { this.CONSUME(KW.ref); capture = "ref"; }) },
        { ALT: unnamed(() => { this.CONSUME(KW.mut); this.CONSUME2(KW.ref); capture = "mutref"; }) },
      ]);
    });
    const params: A.ClosureParam[] = [];
    this.OR2([
      { ALT: unnamed(() => this.CONSUME(T.PipePipe)) },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.Pipe);
          this.MANY_SEP({
            SEP: T.Comma,
            DEF: unnamed(() => {
              const pstart = this.here();
              const pattern = this.SUBRULE(this.patAtom);
              let type: A.TypeExpr | undefined;
              this.OPTION2(() => {
                this.CONSUME(T.Colon);
                type = this.SUBRULE(this.type);
              });
              this.ACTION(() => params.push(this.mk(pstart, { pattern, type })));
            }),
          });
          this.CONSUME2(T.Pipe);
        }),
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
}

const LONG_PAREN_RUN = 16;
const RANGE_OPS = [T.DotDot, T.DotDotEq];
const PREFIX_OPS = [T.Minus, KW.not, T.Tilde, T.Star, T.Bang, T.Amp];
// Tokens that always continue a postfix chain (postfixAhead runs after every operand).
const POSTFIX_START = [T.Dot, T.QuestionDot, T.LParen, T.Question, T.LBracket];

// An operand parsed ahead of the rule that normally parses it (see parenRun): the expression
// and the offset its rules start at (its opening parenthesis).
interface LeftOperand {
  expr: A.Expr;
  start: number;
}

type IfHead =
  | { kind: "if"; cond: A.Expr; then: A.Block }
  | { kind: "ifLet"; pattern: A.Pattern; value: A.Expr; then: A.Block };

interface ElseChain {
  links: { start: number; head: IfHead }[];
  final?: A.Expr;
}

type ListBody =
  | { kind: "elems"; elems: A.Expr[] }
  | { kind: "repeat"; repeat: { value: A.Expr; count: A.Expr } }
  | { kind: "entries"; entries: [A.Expr, A.Expr][] };

