// Grammar layer: names, generic parameter lists, types and effect clauses.

import type { IToken } from "chevrotain";
import * as T from "./tokens.js";
import { KW } from "./tokens.js";
import type * as A from "./ast.js";
import { SyntaxCodes as C } from "./codes.js";
import { identClass } from "./names.js";
import { KaraBase, found, word, isTok, oneOf, unnamed } from "./grammar-base.js";

export abstract class TypeRules extends KaraBase {
  public ident = this.RULE("ident", (): A.Ident => this.nameNode(this.CONSUME(T.Ident)), {
    recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), name: "" }),
  });

  // A member name after `.`: any word (keywords included) or a tuple index.
  public memberName = this.RULE("memberName", (): A.Ident => {
    if (this.shortcuts && isTok(this.LA(1), T.AnyWord)) return this.nameNode(this.CONSUME(T.AnyWord));
    return this.nameNode(this.OR([{ ALT: unnamed(() => this.CONSUME(T.AnyWord)) }, { ALT: unnamed(() => this.CONSUME(T.IntLit)) }]));
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), name: "" }) });

  // The name node of a word token (what ACTION would build, without a closure per call).
  protected nameNode(tok: IToken): A.Ident {
    if (this.RECORDING_PHASE) return undefined as unknown as A.Ident;
    return { id: this.nextId++, span: this.tokSpan(tok), name: word(tok) };
  }

  public genericParams = this.RULE("genericParams", (): A.GenericParam[] => {
    const out: A.GenericParam[] = [];
    let effectMode = false;
    this.CONSUME(T.LBracket);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: unnamed(() => {
        const start = this.here();
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
      }),
    });
    this.CONSUME(T.RBracket);
    return out;
  }, { recoveryValueFunc: () => [] });

  protected effectClauseAhead(): boolean {
    const t = this.LA(1);
    if (isTok(t, KW.with) || isTok(t, T.Verb) || isTok(t, T.BareVerb)) return true;
    return isTok(t, T.Ident) && isTok(this.LA(2), T.LParen);
  }

  protected effectItemAhead(withKw: boolean): boolean {
    const t = this.LA(1);
    if (isTok(t, T.Verb) || isTok(t, T.BareVerb)) return true;
    if (isTok(t, T.Ident)) return withKw || isTok(this.LA(2), T.LParen);
    return withKw && isTok(t, T.Underscore);
  }

  // `decl` is true for a function's own clause, where a comma can only be a mistaken
  // separator; in a fn type the comma ends the clause (it separates parameters).
  public effectClause = this.RULE("effectClause", (decl: boolean): A.EffectClause => {
    const start = this.here();
    let withKeyword = false;
    this.OPTION(() => {
      this.CONSUME(KW.with);
      withKeyword = true;
    });
    const items: A.EffectItem[] = [];
    let wildcard: A.EffectItem | undefined;
    this.MANY({
      GATE: unnamed(() =>
        !(wildcard && !decl) &&
        (this.effectItemAhead(withKeyword) ||
          (decl && isTok(this.LA(1), T.Comma) && this.effectItemLookahead2(withKeyword)))),
      DEF: unnamed(() => {
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
      }),
    });
    return this.ACTION(() => {
      const clause = this.mk(start, { withKeyword, items });
      if (withKeyword && items.length === 0) this.report(C.EffectClause, `expected an effect item after \`with\`, found ${found(this.LA(1))}`, clause.span);
      return clause;
    });
  }, { recoveryValueFunc: () => ({ ...this.ph(), withKeyword: false, items: [] }) });

  protected effectItemLookahead2(withKw: boolean): boolean {
    const t = this.LA(2);
    if (isTok(t, T.Verb) || isTok(t, T.BareVerb)) return true;
    if (isTok(t, T.Ident)) return withKw || isTok(this.LA(3), T.LParen);
    return false;
  }

  public effectItem = this.RULE("effectItem", (withKw?: boolean): A.EffectItem => {
    const start = this.here();
    return this.OR([
      {
        ALT: unnamed(() => {
          const v = this.CONSUME(T.Verb);
          const resources = this.SUBRULE(this.resourceList);
          return this.ACTION(() => {
            const item = this.mk(start, { kind: "verb" as const, verb: v.image, resources });
            if (resources.length === 0) this.report(C.EffectClause, `\`${v.image}\` needs at least one resource: \`${v.image}(R)\``, item.span);
            return item;
          });
        }),
      },
      {
        ALT: unnamed(() => {
          const v = this.CONSUME(T.BareVerb);
          this.OPTION(() => {
            const lp = this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: unnamed(() => this.SUBRULE(this.resourceRef)) });
            this.CONSUME(T.RParen);
            this.ACTION(() =>
              this.report(C.EffectClause, `\`${v.image}\` takes no resource; write \`${v.image}\` without parentheses`, this.map.range(lp.startOffset, this.endOf(lp.startOffset))),
            );
          });
          return this.ACTION(() => this.mk(start, { kind: "verb" as const, verb: v.image, resources: [] }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.Underscore);
          return this.ACTION(() => this.mk(start, { kind: "var" as const, name: "_" }));
        }),
      },
      {
        GATE: unnamed(() => isTok(this.LA(2), T.LParen)),
        ALT: unnamed(() => {
          const v = this.CONSUME2(T.Ident);
          const resources = this.SUBRULE2(this.resourceList);
          return this.ACTION(() => this.mk(start, { kind: "verb" as const, verb: word(v), resources }));
        }),
      },
      {
        ALT: unnamed(() => {
          const n = this.CONSUME3(T.Ident);
          return this.ACTION(() => {
            // Effect variables are Type-class (E), groups are Value-class (io_ops).
            const kind = identClass(word(n)) === "value" ? ("group" as const) : ("var" as const);
            if (withKw === false && kind === "group") {
              this.report(C.EffectClause, "effect groups and variables need `with`", this.tokSpan(n));
            }
            return this.mk(start, { kind, name: word(n) });
          });
        }),
      },
    ]);
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "group" as const, name: "" }) });

  public resourceList = this.RULE("resourceList", (): A.ResourceRef[] => {
    const out: A.ResourceRef[] = [];
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      out.push(this.SUBRULE(this.resourceRef));
      this.MANY({
        GATE: unnamed(() => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RParen)),
        DEF: unnamed(() => {
          this.CONSUME(T.Comma);
          out.push(this.SUBRULE2(this.resourceRef));
        }),
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
    return out;
  }, { recoveryValueFunc: () => [] });

  public resourceRef = this.RULE("resourceRef", (): A.ResourceRef => {
    const start = this.here();
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

  public type = this.RULE("type", (): A.TypeExpr => {
    // Shortcut (see README "Two parsers"): a name not applied to `(` is a named type.
    if (this.shortcuts && isTok(this.LA(1), T.Ident) && !isTok(this.LA(2), T.LParen)) return this.core(this.namedType).call(this);
    return this.typeAlternatives(this.here());
  }, { recoveryValueFunc: () => ({ id: this.nextId++, span: this.map.span(this.startOf(), 0), kind: "infer" as const }) });

  protected typeAlternatives(start: number): A.TypeExpr {
    return this.OR([
      {
        // `&T` / `&mut T`: Rust spelling of `ref T` / `mut ref T`
        ALT: unnamed(() => {
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
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.ref);
          const inner = this.SUBRULE(this.type);
          return this.ACTION(() => this.mk(start, { kind: "ref" as const, mut: false, inner }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.mut);
          this.CONSUME2(KW.ref);
          const inner = this.SUBRULE2(this.type);
          return this.ACTION(() => this.mk(start, { kind: "ref" as const, mut: true, inner }));
        }),
      },
      {
        // `weak T`: a non-owning handle to a shared object, read as the built-in type `weak[T]`
        // (resolved in check/items.ts); `weak` is a keyword, so no user type has that name.
        ALT: unnamed(() => {
          this.CONSUME(KW.weak);
          const inner = this.SUBRULE6(this.type);
          return this.ACTION(() => this.mk(start, { kind: "named" as const, path: ["weak"], args: [inner] }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.LParen);
          const elems: A.TypeExpr[] = [];
          let trailingComma = false;
          this.OPTION(() => {
            elems.push(this.SUBRULE3(this.type));
            this.MANY(() => {
              this.CONSUME(T.Comma);
              trailingComma = true;
              this.OPTION2({
                GATE: unnamed(() => !isTok(this.LA(1), T.RParen)),
                DEF: unnamed(() => {
                  elems.push(this.SUBRULE4(this.type));
                  trailingComma = false;
                }),
              });
            });
          });
          this.CONSUME(T.RParen);
          return this.ACTION(() => {
            if (elems.length === 1 && !trailingComma) return elems[0];
            return this.mk(start, { kind: "tuple" as const, elems });
          });
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.Self);
          return this.ACTION(() => this.mk(start, { kind: "self" as const }));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(T.Underscore);
          return this.ACTION(() => this.mk(start, { kind: "infer" as const }));
        }),
      },
      {
        // `Fn(..)`, and stdlib spellings like `OnceFn(..)`: a type name applied to `(`
        GATE: unnamed(() => isTok(this.LA(2), T.LParen)),
        ALT: unnamed(() => this.SUBRULE(this.fnType)),
      },
      { ALT: unnamed(() => this.SUBRULE(this.namedType)) },
    ]);
  }

  public fnType = this.RULE("fnType", (): A.TypeExpr => {
    const start = this.here();
    this.CONSUME(T.Ident);
    this.CONSUME(T.LParen);
    const params: A.TypeExpr[] = [];
    this.MANY_SEP({ SEP: T.Comma, DEF: unnamed(() => params.push(this.SUBRULE(this.type))) });
    this.CONSUME(T.RParen);
    let ret: A.TypeExpr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      ret = this.SUBRULE2(this.type);
    });
    let effects: A.EffectClause | undefined;
    this.OPTION2({
      GATE: unnamed(() => this.effectClauseAhead()),
      DEF: unnamed(() => {
        effects = this.SUBRULE(this.effectClause, { ARGS: [false] });
      }),
    });
    return this.ACTION(() => this.mk(start, { kind: "fn" as const, params, ret, effects }));
  }, { recoveryValueFunc: () => this.phType() });

  public namedType = this.RULE("namedType", (): A.TypeExpr => {
    const start = this.here();
    const path = [word(this.CONSUME(T.Ident))];
    if (this.shortcuts) {
      // The MANY and the OR below as plain code when no type arguments follow.
      while (isTok(this.LA(1), T.Dot)) {
        this.CONSUME(T.Dot);
        path.push(word(this.CONSUME2(T.Ident)));
      }
      if (!isTok(this.LA(1), T.LBracket) && !isTok(this.LA(1), T.Lt)) return this.mk(start, { kind: "named" as const, path, args: [] });
    } else this.typePathTail(path);
    return this.typeArgsAfter(start, path);
  }, { recoveryValueFunc: () => this.phType() });

  protected typePathTail(path: string[]): void {
    this.MANY(() => {
      this.CONSUME(T.Dot);
      path.push(word(this.CONSUME2(T.Ident)));
    });
  }

  protected typeArgsAfter(start: number, path: string[]): A.TypeExpr {
    const args: A.TypeArg[] = [];
    this.OR([
      {
        ALT: unnamed(() => {
          this.CONSUME(T.LBracket);
          this.MANY_SEP({ SEP: T.Comma, DEF: unnamed(() => args.push(this.SUBRULE(this.typeArg))) });
          this.CONSUME(T.RBracket);
        }),
      },
      {
        // `Vec<i64>`: generics use square brackets. Not after `as`, where `<` compares.
        GATE: unnamed(() => !this.inCast && oneOf(this.LA(3), [T.Gt, T.Comma, T.Lt])),
        ALT: unnamed(() => {
          const lt = this.CONSUME(T.Lt);
          this.MANY_SEP2({ SEP: T.Comma, DEF: unnamed(() => args.push(this.SUBRULE2(this.typeArg))) });
          const gt = this.CONSUME(T.Gt);
          this.ACTION(() => {
            const ltSpan = this.tokSpan(lt);
            const name = path.join(".");
            this.report(C.ForeignSyntax, `generic arguments use square brackets: \`${name}[..]\`, not \`${name}<..>\``, ltSpan, {
              fixes: [
                { message: "replace `<` with `[`", span: ltSpan, replacement: "[" },
                { message: "replace `>` with `]`", span: this.tokSpan(gt), replacement: "]" },
              ],
            });
          });
        }),
      },
      { ALT: unnamed(() => undefined) },
    ]);
    return this.ACTION(() => this.mk(start, { kind: "named" as const, path, args }));
  }

  public typeArg = this.RULE("typeArg", (): A.TypeArg => {
    const start = this.here();
    return this.OR([
      {
        GATE: unnamed(() => oneOf(this.LA(1), [T.IntLit, T.Minus, T.LBrace, T.CharLit, KW.true, KW.false])),
        ALT: unnamed(() => {
          const value = this.SUBRULE(this.expr);
          return this.ACTION(() => this.mk(start, { kind: "const" as const, value }));
        }),
      },
      { ALT: unnamed(() => this.SUBRULE(this.type) as A.TypeArg) },
    ]);
  }, { recoveryValueFunc: () => this.phType() as A.TypeArg });

  protected ampHint(amp: IToken, mut: boolean, what: string): void {
    const span = this.map.range(amp.startOffset, mut ? this.mutEnd(amp) : amp.startOffset + 1);
    this.report(C.ForeignSyntax, `Kāra has no \`&\`: ${what}`, span, {
      fixes: [{ message: `replace with \`${mut ? "mut ref" : "ref"}\``, span, replacement: mut ? "mut ref" : "ref " }],
    });
  }

  // End offset of the `mut` that follows `&` (for the `&mut` fix span).
  protected mutEnd(amp: IToken): number {
    const text = this.map.text;
    const m = /^&\s*mut\b/.exec(text.slice(amp.startOffset, amp.startOffset + 16));
    return amp.startOffset + (m ? m[0].length : 1);
  }
}
