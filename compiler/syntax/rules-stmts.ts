// Grammar layer: blocks and statements.

import { EOF, type ParserMethod } from "chevrotain";
import * as T from "./tokens.js";
import { KW } from "./tokens.js";
import type * as A from "./ast.js";
import { SyntaxCodes as C } from "./codes.js";
import { ExprRules } from "./rules-exprs.js";
import { found, BLOCK_LIKE_START, isTok, oneOf, unnamed } from "./grammar-base.js";

// Attributes a loop accepts: the order-free promise the auto-parallel pass reads (karac's
// spelling and its older one), and the lint levels, which also apply to any statement.
const LOOP_ATTRIBUTES = new Set(["par_order_free", "par_unordered"]);
const LINT_LEVEL_ATTRIBUTES = new Set(["allow", "warn", "deny", "expect", "forbid"]);

export abstract class StmtRules extends ExprRules {
  abstract attribute: ParserMethod<[], A.Attribute>;

  // `test "name" { body }` at module level: `test` is an ordinary word everywhere else.
  protected testAhead(): boolean {
    const t = this.LA(1);
    return isTok(t, T.Ident) && t.image === "test" && isTok(this.LA(2), T.StringLit) && isTok(this.LA(3), T.LBrace);
  }

  public testDecl = this.RULE("testDecl", (): A.TestDecl => {
    const start = this.here();
    this.CONSUME(T.Ident);
    const nameStart = this.here();
    const nameTok = this.CONSUME(T.StringLit);
    const body = this.SUBRULE(this.block);
    return this.ACTION(() => {
      const lit = this.literalNode(nameStart, nameTok);
      const name = lit.kind === "str" ? lit.value : nameTok.image;
      return this.mk(start, { kind: "test" as const, name, nameSpan: this.tokSpan(nameTok), attrs: [], pub: false, body });
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.TestDecl });

  // A test block inside a function body (karac: E_TEST_BLOCK_NOT_TOP_LEVEL): reported, and left out.
  public misplacedTest = this.RULE("misplacedTest", (): A.Stmt => {
    const start = this.here();
    this.SUBRULE(this.testDecl);
    return this.ACTION(() => {
      const s = this.mk(start, { kind: "empty" as const });
      this.report(C.TestNotTopLevel, "a `test \"name\" { .. }` block declares a test case at module level, not inside a function body; move it out, or call the assertion directly", s.span);
      return s;
    });
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "empty" as const }) });

  // `#[..]` before a statement: kept on a loop (`#[par_order_free] for ..`, labelled or not);
  // a lint level may stand before any statement; anything else is reported and dropped.
  public attributedStmt = this.RULE("attributedStmt", (): A.Stmt => {
    const attrs: A.Attribute[] = [];
    this.AT_LEAST_ONE(() => {
      attrs.push(this.SUBRULE(this.attribute));
    });
    const s = this.SUBRULE(this.stmt);
    return this.ACTION(() => {
      const e = s.kind === "expr" ? s.expr : undefined;
      const isLoop = e !== undefined && (e.kind === "while" || e.kind === "whileLet" || e.kind === "for" || e.kind === "loop");
      for (const a of attrs) {
        if (LINT_LEVEL_ATTRIBUTES.has(a.name) || (isLoop && LOOP_ATTRIBUTES.has(a.name))) continue;
        const message = isLoop
          ? `\`#[${a.name}]\` is not valid on a loop: only \`#[par_order_free]\` (or \`#[par_unordered]\`) and the lint levels are`
          : LOOP_ATTRIBUTES.has(a.name)
            ? `\`#[${a.name}]\` must be followed by \`while\`, \`for\` or \`loop\``
            : `\`#[${a.name}]\` cannot apply to a statement: only the lint levels \`#[allow]\`, \`#[warn]\`, \`#[deny]\` and \`#[expect]\` can`;
        this.report(C.MisplacedAttribute, message, a.span);
      }
      if (isLoop) (e as { attrs?: A.Attribute[] }).attrs = attrs;
      return s;
    });
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "empty" as const }) });

  public block = this.RULE("block", (): A.Block => {
    const start = this.here();
    const savedNoStruct = this.noStruct;
    this.noStruct = false;
    try {
      this.CONSUME(T.LBrace);
      const stmts: A.Stmt[] = [];
      if (this.shortcuts) {
        // The MANY below as a loop: a token that starts no statement fails in `stmt` instead
        // of at the `}`. Direct rule calls (see README "Deep nesting").
        // A block-like statement skips `stmt`, which would choose it by the same test.
        while (!isTok(this.LA(1), T.RBrace) && this.LA(1).tokenType !== EOF) {
          stmts.push(this.blockLikeStmtAhead() ? this.blockLikeStmt(this.startOf()) : this.core(this.stmt).call(this));
        }
      } else this.blockStmts(stmts);
      this.CONSUME(T.RBrace);
      // What ACTION would do (nothing while the grammar is recorded), without a closure per block.
      return this.RECORDING_PHASE ? (undefined as unknown as A.Block) : this.blockNode(start, stmts);
    } finally {
      this.noStruct = savedNoStruct;
    }
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "block" as const, stmts: [] }) });

  protected blockStmts(stmts: A.Stmt[]): void {
    this.MANY(() => {
      const s = this.SUBRULE(this.stmt);
      this.ACTION(() => stmts.push(s));
    });
  }

  // A block's last expression statement without `;` is its tail.
  protected blockNode(start: number, stmts: A.Stmt[]): A.Block {
    let tail: A.Expr | undefined;
    const last = stmts[stmts.length - 1];
    if (last && last.kind === "expr" && !last.semi) {
      stmts.pop();
      tail = last.expr;
    }
    return this.mk(start, { kind: "block" as const, stmts, tail });
  }

  public stmt = this.RULE("stmt", (): A.Stmt => {
    const start = this.here();
    if (this.shortcuts) {
      // The alternatives below, chosen by their first token.
      const t = this.LA(1);
      if (isTok(t, KW.let)) return this.core(this.letStmt).call(this);
      if (this.blockLikeStmtAhead()) return this.blockLikeStmt(start);
      if (isTok(t, T.Hash)) return this.core(this.attributedStmt).call(this);
      if (this.testAhead()) return this.core(this.misplacedTest).call(this);
      if (!isTok(t, T.Semi) && !isTok(t, KW.defer) && !isTok(t, KW.errdefer)) return this.core(this.exprStmt).call(this);
    }
    return this.stmtAlternatives(start);
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "empty" as const }) });

  protected stmtAlternatives(start: number): A.Stmt {
    return this.OR([
      {
        ALT: unnamed(() => {
          this.CONSUME(T.Semi);
          return this.ACTION(() => this.mk(start, { kind: "empty" as const }));
        }),
      },
      { ALT: unnamed(() => this.SUBRULE(this.letStmt)) },
      { ALT: unnamed(() => this.SUBRULE(this.deferStmt)) },
      { ALT: unnamed(() => this.SUBRULE(this.attributedStmt)) },
      { GATE: unnamed(() => this.testAhead()), ALT: unnamed(() => this.SUBRULE(this.misplacedTest)) },
      { GATE: unnamed(() => this.blockLikeStmtAhead()), ALT: unnamed(() => this.blockLikeStmt(start)) },
      { ALT: unnamed(() => this.SUBRULE(this.exprStmt)) },
    ]);
  }

  protected blockLikeStmtAhead(): boolean {
    // A provider scope ends at its body's `}` like the keyword-led forms (karac's block-like prefixes).
    return oneOf(this.LA(1), BLOCK_LIKE_START) || this.labelAhead() || this.providersAhead();
  }

  // A block-like expression as a statement: it needs no `;` and ends the statement.
  // In shortcut mode it is also called from `block`, so it uses no Chevrotain DSL there.
  protected blockLikeStmt(start: number): A.Stmt {
    if (this.shortcuts) {
      // `blockLike`'s alternatives that one token decides, called without `blockLike` itself.
      const t = this.LA(1);
      const e = isTok(t, KW.if)
        ? this.core(this.ifExpr).call(this)
        : isTok(t, T.LBrace)
          ? this.core(this.block).call(this)
          : isTok(t, KW.match)
            ? this.core(this.matchExpr).call(this)
            : this.core(this.blockLike).call(this);
      const semi = isTok(this.LA(1), T.Semi);
      if (semi) this.CONSUME3(T.Semi);
      return this.mk(start, { kind: "expr" as const, expr: e, semi });
    }
    const e = this.SUBRULE(this.blockLike);
    let semi = false;
    this.OPTION(() => {
      this.CONSUME2(T.Semi);
      semi = true;
    });
    return this.ACTION(() => this.mk(start, { kind: "expr" as const, expr: e, semi }));
  }

  public letStmt = this.RULE("letStmt", (): A.Stmt => {
    if (this.shortcuts) {
      // The three OPTIONs below as plain code: each starts with its one token.
      const start = this.startOf();
      this.CONSUME(KW.let);
      const pattern = this.core(this.pattern).call(this);
      let type: A.TypeExpr | undefined;
      let value: A.Expr | undefined;
      let elseBlock: A.Block | undefined;
      if (isTok(this.LA(1), T.Colon)) {
        this.CONSUME(T.Colon);
        type = this.core(this.type).call(this);
      }
      let byRef = false;
      if (isTok(this.LA(1), T.Eq)) {
        this.CONSUME(T.Eq);
        if (this.refBindingAhead()) {
          this.CONSUME(KW.ref);
          byRef = true;
        }
        value = this.core(this.expr).call(this);
      }
      if (isTok(this.LA(1), KW.else)) {
        this.CONSUME(KW.else);
        elseBlock = this.core(this.block).call(this);
      }
      this.CONSUME(T.Semi);
      return this.mk(start, { kind: "let" as const, pattern, type, value, elseBlock, ...(byRef ? { byRef } : {}) });
    }
    return this.letParts(this.here());
  }, { recoveryValueFunc: () => ({ ...this.ph(), kind: "empty" as const }) });

  protected letParts(start: number): A.Stmt {
    this.CONSUME(KW.let);
    const pattern = this.SUBRULE(this.pattern);
    let type: A.TypeExpr | undefined;
    let value: A.Expr | undefined;
    let elseBlock: A.Block | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.type);
    });
    let byRef = false;
    this.OPTION2(() => {
      this.CONSUME(T.Eq);
      this.OPTION4({
        GATE: () => this.refBindingAhead(),
        DEF: () => {
          this.CONSUME(KW.ref);
          byRef = true;
        },
      });
      value = this.SUBRULE(this.expr);
    });
    this.OPTION3(() => {
      this.CONSUME(KW.else);
      elseBlock = this.SUBRULE(this.block);
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => this.mk(start, { kind: "let" as const, pattern, type, value, elseBlock, ...(byRef ? { byRef } : {}) }));
  }

  /** `let x = ref <place>;` borrows the place; `ref |..| ..` after `=` is a closure's capture mode instead. */
  protected refBindingAhead(): boolean {
    return isTok(this.LA(1), KW.ref) && !isTok(this.LA(2), T.Pipe) && !isTok(this.LA(2), T.PipePipe);
  }

  public deferStmt = this.RULE("deferStmt", (): A.Stmt => {
    const start = this.here();
    let err = false;
    let binding: string | undefined;
    this.OR([
      { ALT: unnamed(() => this.CONSUME(KW.defer)) },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.errdefer);
          err = true;
          this.OPTION(() => {
            this.CONSUME(T.LParen);
            binding = this.SUBRULE(this.ident).name;
            this.CONSUME(T.RParen);
          });
        }),
      },
    ]);
    const body = this.OR2([
      {
        ALT: unnamed(() => {
          const b = this.SUBRULE(this.block);
          this.OPTION2(() => this.CONSUME(T.Semi));
          return b as A.Expr;
        }),
      },
      {
        ALT: unnamed(() => {
          const e = this.SUBRULE(this.expr);
          this.CONSUME2(T.Semi);
          return e;
        }),
      },
    ]);
    return this.ACTION(() => this.mk(start, { kind: "defer" as const, body, err, binding }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), kind: "empty" as const }) });

  public exprStmt = this.RULE("exprStmt", (): A.Stmt => {
    const start = this.here();
    const target = this.shortcuts ? this.core(this.expr).call(this) : this.SUBRULE(this.expr);
    if (this.shortcuts) {
      // The third and fourth alternatives below, for the tokens that decide them alone.
      if (isTok(this.LA(1), T.Semi)) {
        this.CONSUME2(T.Semi);
        return this.mk(start, { kind: "expr" as const, expr: target, semi: true });
      }
      if (isTok(this.LA(1), T.RBrace)) return this.mk(start, { kind: "expr" as const, expr: target, semi: false });
    }
    return this.exprStmtAlternatives(start, target);
  }, { recoveryValueFunc: () => ({ ...this.ph(), kind: "empty" as const }) });

  protected exprStmtAlternatives(start: number, target: A.Expr): A.Stmt {
    return this.OR([
      {
        // parallel assignment `a, b = b, a;`, represented as a tuple assigned a tuple
        ALT: unnamed(() => {
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
            if (targets.length !== values.length) {
              // karac rejects the statement while parsing; nothing of it reaches the checker.
              const end = this.endOf(start);
              this.report(C.Syntax, `parallel assignment has ${targets.length} targets but ${values.length} value${values.length === 1 ? "" : "s"}; both sides must list the same number of elements`, this.map.range(start, end));
              return this.mk(start, { kind: "empty" as const });
            }
            return this.mk(start, { kind: "assign" as const, op: "=" as A.AssignOp, target: tuple(targets), value: tuple(values) });
          });
        }),
      },
      {
        ALT: unnamed(() => {
          const op = this.SUBRULE(this.assignOp);
          const value = this.SUBRULE2(this.expr);
          this.CONSUME(T.Semi);
          return this.ACTION(() => this.mk(start, { kind: "assign" as const, op, target, value }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME2(T.Semi);
          return this.ACTION(() => this.mk(start, { kind: "expr" as const, expr: target, semi: true }));
        }),
      },
      {
        ALT: unnamed(() =>
          this.ACTION(() => {
            // No `;`: fine before `}` (a tail expression); otherwise one diagnostic, and the
            // next token starts the next statement.
            if (!isTok(this.LA(1), T.RBrace)) {
              const end = this.endOf(start);
              this.report(C.MissingSemicolon, `expected \`;\` after this expression, found ${found(this.LA(1))}`, this.map.span(end, 0));
            }
            return this.mk(start, { kind: "expr" as const, expr: target, semi: false });
          })),
      },
    ]);
  }

}
