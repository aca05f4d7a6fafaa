// The Kāra grammar (Chevrotain embedded-actions parser): the item layer and the entry
// rules `program` and `holeExpr`. Rules build AST nodes directly, inside ACTION so the
// grammar-recording pass never touches real data. Context LL(1) lookahead cannot see —
// the struct-literal restriction in conditions, which names are loop labels — lives in
// parser fields read by GATEs (see grammar-base.ts).

import { EOF, isRecognitionException, type IToken } from "chevrotain";
import * as T from "./tokens.js";
import { KW } from "./tokens.js";
import type * as A from "./ast.js";
import { SyntaxCodes as C } from "./codes.js";
import { StmtRules } from "./rules-stmts.js";
import { type AnyNode, NestingLimitError, EXPR_START, found, isTok, oneOf, unnamed } from "./grammar-base.js";

export class KaraGrammar extends StmtRules {
  constructor(recovery = true, validate = false) {
    super(recovery, validate);
    this.performSelfAnalysis();
    this.shortcuts = !recovery;
    if (!recovery) this.leanRuleCalls();
  }

  public program = this.RULE("program", (): A.Item[] => {
    const items: A.Item[] = [];
    if (this.RECORDING_PHASE) {
      this.MANY(() => this.SUBRULE(this.item));
      return items;
    }
    let junkReported = false;
    while (this.LA(1).tokenType !== EOF) {
      const before = this.LA(1);
      if (this.itemAhead() || this.testAhead()) {
        // Leftovers of an item that already had a syntax error are not reported again.
        const errorsBefore = this.errors.length;
        junkReported = false;
        try {
          const it = this.SUBRULE(this.item);
          if (it) items.push(it);
          junkReported = this.errors.length > errorsBefore;
        } catch (e) {
          // A broken item signature: the error is already recorded; skip to the next
          // item that starts a line and go on. An item nested too deeply for the call
          // stack is reported and skipped the same way.
          if (e instanceof RangeError || e instanceof NestingLimitError) {
            if (e instanceof RangeError) this.overflowed = true;
            this.report(C.Internal, "this item is nested too deeply to parse", this.tokSpan(before));
          } else if (!isRecognitionException(e as Error)) throw e;
          this.skipToNextItem(before);
          continue;
        }
      }
      if (this.LA(1) === before) {
        if (!junkReported) {
          const notes = oneOf(before, EXPR_START) ? ["statements belong inside a function body, such as `fn main() { ... }`"] : undefined;
          this.report(C.BadItem, `expected an item (fn, struct, enum, impl, trait, const, let, type, effect, import), found ${found(before)}`, this.tokSpan(before), notes ? { notes } : undefined);
          junkReported = true;
        }
        this.SKIP_TOKEN();
      }
    }
    return items;
  }, { recoveryValueFunc: () => [] });

  protected skipToNextItem(from: IToken): void {
    if (this.LA(1) === from) this.SKIP_TOKEN();
    while (this.LA(1).tokenType !== EOF && !(this.itemAhead() && this.startsLine(this.LA(1)) && !isTok(this.LA(1), KW.let))) this.SKIP_TOKEN();
  }

  protected itemAhead(): boolean {
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

  public item = this.RULE("item", (): A.Item | undefined => {
    const start = this.here();
    const attrs: A.Attribute[] = [];
    this.MANY(() => {
      attrs.push(this.SUBRULE(this.attribute));
    });
    let pub = false;
    this.OPTION(() => {
      this.OR([{ ALT: unnamed(() => this.CONSUME(KW.pub)) }, { ALT: unnamed(() => this.CONSUME(KW.private)) }]);
      pub = true;
    });
    const it = this.OR2([
      { ALT: unnamed(() => this.SUBRULE(this.fnDecl) as A.Item) },
      { GATE: unnamed(() => this.structAhead()), ALT: unnamed(() => this.SUBRULE(this.structDecl) as A.Item) },
      { GATE: unnamed(() => this.enumAhead()), ALT: unnamed(() => this.SUBRULE(this.enumDecl) as A.Item) },
      { ALT: unnamed(() => this.SUBRULE(this.implDecl) as A.Item) },
      { ALT: unnamed(() => this.SUBRULE(this.traitDecl) as A.Item) },
      { ALT: unnamed(() => this.SUBRULE(this.constDecl) as A.Item) },
      { ALT: unnamed(() => this.SUBRULE(this.letItem) as A.Item) },
      { ALT: unnamed(() => this.SUBRULE(this.typeAliasDecl) as A.Item) },
      { ALT: unnamed(() => this.SUBRULE(this.effectDecl) as A.Item) },
      { ALT: unnamed(() => this.SUBRULE(this.resourceDecl) as A.Item) },
      { ALT: unnamed(() => this.SUBRULE(this.importDecl) as A.Item) },
      { GATE: unnamed(() => this.testAhead()), ALT: unnamed(() => this.SUBRULE(this.testDecl) as unknown as A.Item) },
    ]);
    return this.ACTION(() => {
      if (!it) return undefined;
      if ((it as { kind: string }).kind === "test" && pub) {
        this.report(C.BadItem, "a test case cannot have a visibility modifier: `pub` / `private` mean nothing for a test, which is not callable", this.map.span(start, 0));
      }
      const n = it as unknown as AnyNode;
      if ("attrs" in n) n.attrs = attrs;
      if ("pub" in n) n.pub = pub;
      n.span = this.map.range(start, this.endOf(start));
      return it;
    });
  }, { recoveryValueFunc: () => undefined, resyncEnabled: false });

  protected structAhead(): boolean {
    const t1 = this.LA(1);
    if (isTok(t1, KW.struct)) return true;
    return (isTok(t1, KW.shared) || isTok(t1, KW.par)) && isTok(this.LA(2), KW.struct);
  }

  protected enumAhead(): boolean {
    const t1 = this.LA(1);
    if (isTok(t1, KW.enum)) return true;
    return (isTok(t1, KW.shared) || isTok(t1, KW.par)) && isTok(this.LA(2), KW.enum);
  }

  public attribute = this.RULE("attribute", (): A.Attribute => {
    const start = this.here();
    this.CONSUME(T.Hash);
    this.CONSUME(T.LBracket);
    let name = this.CONSUME(T.AnyWord).image;
    this.MANY(() => {
      this.OR([{ ALT: unnamed(() => this.CONSUME(T.ColonColon)) }, { ALT: unnamed(() => this.CONSUME(T.Dot)) }]);
      name += "::" + this.CONSUME2(T.AnyWord).image;
    });
    let args: string[] = [];
    this.OPTION(() => {
      this.OR2([
        { ALT: unnamed(() => { args = this.SUBRULE(this.attrParens).args; }) },
        {
          // `#[must_use = "reason"]`: the value is the one argument
          ALT: unnamed(() => {
            this.CONSUME(T.Eq);
            args = [this.CONSUME(T.StringLit).image];
          }),
        },
      ]);
    });
    this.CONSUME(T.RBracket);
    return this.ACTION(() => this.mk(start, { name, args }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), name: "", args: [] }) });

  // `( arg, .. )` or `[ arg, .. ]` inside an attribute; each argument is kept as its tokens
  // joined without spaces, and groups nest (`cfg(not(test))`, `test(requires = [db.Users])`).
  public attrParens = this.RULE("attrParens", (): { args: string[]; text: string } => {
    this.CONSUME(T.LParen);
    const args = this.attrArgs();
    this.CONSUME(T.RParen);
    return { args, text: "(" + args.join(",") + ")" };
  }, { recoveryValueFunc: () => ({ args: [], text: "" }) });

  public attrBrackets = this.RULE("attrBrackets", (): string => {
    this.CONSUME(T.LBracket);
    const args = this.attrArgs();
    this.CONSUME(T.RBracket);
    return "[" + args.join(",") + "]";
  }, { recoveryValueFunc: () => "" });

  private attrArgs(): string[] {
    const args: string[] = [];
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: unnamed(() => {
        let arg = "";
        this.AT_LEAST_ONE(() => {
          arg += this.SUBRULE(this.attrPiece);
        });
        args.push(arg);
      }),
    });
    return args;
  }

  public attrPiece = this.RULE("attrPiece", (): string => {
    return this.OR([
      { ALT: unnamed(() => this.CONSUME(T.AnyWord).image) },
      { ALT: unnamed(() => this.CONSUME(T.StringLit).image) },
      { ALT: unnamed(() => this.CONSUME(T.IntLit).image) },
      { ALT: unnamed(() => this.CONSUME(T.FloatLit).image) },
      { ALT: unnamed(() => this.CONSUME(T.CharLit).image) },
      { ALT: unnamed(() => this.CONSUME(T.Underscore).image) },
      { ALT: unnamed(() => this.CONSUME(T.Eq).image) },
      { ALT: unnamed(() => this.CONSUME(T.Colon).image) },
      { ALT: unnamed(() => this.CONSUME(T.ColonColon).image) },
      { ALT: unnamed(() => this.CONSUME(T.Dot).image) },
      { ALT: unnamed(() => this.CONSUME(T.Minus).image) },
      { ALT: unnamed(() => this.SUBRULE(this.attrParens).text) },
      { ALT: unnamed(() => this.SUBRULE(this.attrBrackets)) },
      { ALT: unnamed(() => this.SUBRULE(this.attrBraces)) },
    ]);
  }, { recoveryValueFunc: () => "" });

  // `{ arg, .. }` inside an attribute: a struct literal given as an argument
  // (`#[with_provider(Clock, FakeClock { t: 42 })]`).
  public attrBraces = this.RULE("attrBraces", (): string => {
    this.CONSUME(T.LBrace);
    const args = this.attrArgs();
    this.CONSUME(T.RBrace);
    return "{" + args.join(",") + "}";
  }, { recoveryValueFunc: () => "" });

  public fnDecl = this.RULE("fnDecl", (): A.FnDecl => {
    const start = this.here();
    this.CONSUME(KW.fn);
    const name = this.SUBRULE(this.ident);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => {
      generics = this.SUBRULE(this.genericParams);
    });
    this.CONSUME(T.LParen);
    let receiver: A.Receiver | "frozen" | undefined;
    const params: A.Param[] = [];
    this.OPTION2(() => {
      this.OR([
        {
          // A parameter starts with its name; of the receivers only `frozen self` starts with a word.
          GATE: unnamed(() => !isTok(this.LA(1), T.Ident) || (this.LA(1).image === "frozen" && isTok(this.LA(2), KW.self))),
          ALT: unnamed(() => { receiver = this.SUBRULE(this.receiver); }),
        },
        { ALT: unnamed(() => { params.push(this.SUBRULE(this.param)); }) },
      ]);
      this.MANY({
        GATE: unnamed(() => isTok(this.LA(1), T.Comma) && !isTok(this.LA(2), T.RParen)),
        DEF: unnamed(() => {
          this.CONSUME(T.Comma);
          params.push(this.SUBRULE2(this.param));
        }),
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
      GATE: unnamed(() => this.effectClauseAhead()),
      DEF: unnamed(() => {
        effects = this.SUBRULE(this.effectClause, { ARGS: [true] });
      }),
    });
    const wheres: { target: A.TypeExpr; bounds: A.TypeExpr[] }[] = [];
    const contracts: A.Contract[] = [];
    this.MANY2(() => {
      const w = this.SUBRULE(this.contractClause);
      this.ACTION(() => {
        wheres.push(...(w?.wheres ?? []));
        if (w?.contract) contracts.push(w.contract);
      });
    });
    let body: A.Block | undefined;
    this.OR2([
      { ALT: unnamed(() => { body = this.SUBRULE(this.block); }) },
      { ALT: unnamed(() => { this.CONSUME(T.Semi); }) },
    ]);
    return this.ACTION(() => {
      withWhereBounds(generics, wheres);
      this.checkClass(name, "value", "function");
      for (const p of params) this.checkClass(p.name, "value", "parameter");
      // `frozen self` reads as `ref self` everywhere; only the frozen checks (effects/frozen.ts) see the flag.
      const recv: A.Receiver | undefined = receiver === "frozen" ? "ref" : receiver;
      const fn = this.mk(start, { kind: "fn" as const, name, pub: false, attrs: [], generics, receiver: recv, params, ret, effects, body, ...(receiver === "frozen" ? { frozenSelf: true as const } : {}) });
      return contracts.length ? { ...fn, contracts } : fn;
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.FnDecl });

  // `requires e`, `ensures e`, `where T: Bound, ...` after a signature. A contract is returned
  // for the checker (its effects must be pure, E0410); `ensures(r) e` and `ensures |r| e` name the
  // returned value (`result` otherwise). The bounds of a `where` clause are returned, and joined to
  // the type parameters they name (withWhereBounds).
  public contractClause = this.RULE("contractClause", (): { wheres: { target: A.TypeExpr; bounds: A.TypeExpr[] }[]; contract?: A.Contract } => {
    const wheres: { target: A.TypeExpr; bounds: A.TypeExpr[] }[] = [];
    let contract: A.Contract | undefined;
    const start = this.here();
    this.OR([
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.requires);
          const expr = this.SUBRULE(this.condExpr);
          this.ACTION(() => (contract = this.mk(start, { kind: "requires" as const, expr })));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.ensures);
          let binding: string | undefined;
          this.OPTION({
            // `ensures(r) e`, told from a parenthesised predicate `ensures (ok) && x` by what follows.
            GATE: unnamed(() => isTok(this.LA(1), T.LParen) && isTok(this.LA(2), T.Ident) && isTok(this.LA(3), T.RParen) && oneOf(this.LA(4), [T.Ident, T.LParen, T.Bang])),
            DEF: unnamed(() => {
              this.CONSUME(T.LParen);
              binding = this.SUBRULE(this.ident).name;
              this.CONSUME(T.RParen);
            }),
          });
          this.OPTION2(() => {
            this.CONSUME(T.Pipe);
            binding = this.SUBRULE2(this.ident).name;
            this.CONSUME2(T.Pipe);
          });
          const expr = this.SUBRULE2(this.condExpr);
          this.ACTION(() => (contract = this.mk(start, binding === undefined ? { kind: "ensures" as const, expr } : { kind: "ensures" as const, binding, expr })));
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.where);
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: unnamed(() => {
              const target = this.SUBRULE(this.type);
              this.CONSUME(T.Colon);
              const bounds = [this.SUBRULE2(this.type)];
              this.MANY(() => {
                this.CONSUME(T.Plus);
                bounds.push(this.SUBRULE3(this.type));
              });
              this.ACTION(() => wheres.push({ target, bounds }));
            }),
          });
        }),
      },
    ]);
    return { wheres, contract };
  });

  public receiver = this.RULE("receiver", (): A.Receiver | "frozen" => {
    return this.OR([
      { ALT: unnamed(() => { this.CONSUME(KW.self); return "self" as A.Receiver; }) },
      // `frozen self` (a contextual word, as in `frozen T` parameters)
      {
        GATE: unnamed(() => isTok(this.LA(1), T.Ident) && this.LA(1).image === "frozen" && isTok(this.LA(2), KW.self)),
        ALT: unnamed(() => { this.CONSUME(T.Ident); this.CONSUME5(KW.self); return "frozen" as const; }),
      },
      { ALT: unnamed(() => { this.CONSUME(KW.ref); this.CONSUME2(KW.self); return "ref" as A.Receiver; }) },
      { ALT: unnamed(() => { this.CONSUME(KW.mut); this.CONSUME2(KW.ref); this.CONSUME3(KW.self); return "mutref" as A.Receiver; }) },
      {
        // `&self` / `&mut self`: Rust spelling, reported with a fix
        ALT: unnamed(() => {
          const amp = this.CONSUME(T.Amp);
          let mut = false;
          this.OPTION(() => {
            this.CONSUME4(KW.mut);
            mut = true;
          });
          this.CONSUME4(KW.self);
          this.ACTION(() => this.ampHint(amp, mut, "receivers are written `ref self` / `mut ref self`"));
          return (mut ? "mutref" : "ref") as A.Receiver;
        }),
      },
    ]);
  }, { recoveryValueFunc: () => "self" as A.Receiver | "frozen" });

  public param = this.RULE("param", (): A.Param => {
    const start = this.here();
    const name = this.SUBRULE(this.ident);
    this.CONSUME(T.Colon);
    let mode: A.ParamMode = "owned";
    // `frozen` is a contextual word: a mode only when a type name follows it (a type named by an
    // identifier would otherwise start here too, so the option is gated on the mode words).
    const frozenAhead = (): boolean => isTok(this.LA(1), T.Ident) && this.LA(1).image === "frozen" && isTok(this.LA(2), T.Ident);
    this.OPTION({
      GATE: unnamed(() => isTok(this.LA(1), KW.ref) || isTok(this.LA(1), KW.mut) || frozenAhead()),
      DEF: () => this.OR([
        { ALT: unnamed(() => { this.CONSUME(KW.ref); mode = "ref"; }) },
        { GATE: unnamed(() => isTok(this.LA(2), KW.ref)), ALT: unnamed(() => { this.CONSUME(KW.mut); this.CONSUME2(KW.ref); mode = "mutref"; }) },
        { ALT: unnamed(() => { this.CONSUME2(KW.mut); mode = "mutslice"; }) },
        { GATE: unnamed(frozenAhead), ALT: unnamed(() => { this.CONSUME(T.Ident); mode = "frozen"; }) },
      ]),
    });
    const type = this.SUBRULE(this.type);
    let defaultValue: A.Expr | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Eq);
      defaultValue = this.SUBRULE(this.expr);
    });
    return this.ACTION(() => this.mk(start, { name, mode, type, defaultValue }));
  }, { recoveryValueFunc: () => ({ ...this.ph(), name: this.phIdent(), mode: "owned" as A.ParamMode, type: this.phType() }) });

  public structDecl = this.RULE("structDecl", (): A.StructDecl => {
    const start = this.here();
    let flavor: A.StructFlavor = "plain";
    this.OPTION(() => {
      this.OR([
        { ALT: unnamed(() => { this.CONSUME(KW.shared); flavor = "shared"; }) },
        { ALT: unnamed(() => { this.CONSUME(KW.par); flavor = "par"; }) },
      ]);
    });
    this.CONSUME(KW.struct);
    const name = this.SUBRULE(this.ident);
    let generics: A.GenericParam[] = [];
    this.OPTION2(() => {
      generics = this.SUBRULE(this.genericParams);
    });
    const { fields, invariants } = this.SUBRULE(this.structBody);
    return this.ACTION(() => {
      this.checkClass(name, "type", "struct");
      const decl = this.mk(start, { kind: "struct" as const, name, pub: false, flavor, attrs: [], generics, fields });
      return invariants.length ? { ...decl, invariants } : decl;
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.StructDecl });

  // A struct's fields, with `invariant e` / `impl invariant e` members among them (karac allows
  // them anywhere in the body; the comma after one is optional).
  public structBody = this.RULE("structBody", (): { fields: A.FieldDecl[]; invariants: A.Invariant[] } => {
    const fields: A.FieldDecl[] = [];
    const invariants: A.Invariant[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR([
        {
          ALT: unnamed(() => {
            const start = this.here();
            let everyMethod = false;
            this.OPTION(() => {
              this.CONSUME(KW.impl);
              everyMethod = true;
            });
            this.CONSUME(KW.invariant);
            const expr = this.SUBRULE(this.expr);
            this.OPTION2(() => this.CONSUME2(T.Comma));
            this.ACTION(() => invariants.push(this.mk(start, { everyMethod, expr })));
          }),
        },
        {
          ALT: unnamed(() => {
            fields.push(this.SUBRULE(this.fieldDecl));
            this.OR2(this.separator([T.Ident, KW.pub, KW.mut, T.Hash, KW.invariant, KW.impl]));
          }),
        },
      ]);
    });
    this.CONSUME(T.RBrace);
    return { fields, invariants };
  }, { recoveryValueFunc: () => ({ fields: [], invariants: [] }) });

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
    const start = this.here();
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
    const start = this.here();
    let flavor: A.StructFlavor = "plain";
    this.OPTION(() => {
      this.OR([
        { ALT: unnamed(() => { this.CONSUME(KW.shared); flavor = "shared"; }) },
        { ALT: unnamed(() => { this.CONSUME(KW.par); flavor = "par"; }) },
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
    const start = this.here();
    this.MANY(() => this.SUBRULE(this.attribute));
    const name = this.SUBRULE(this.ident);
    let shape: A.VariantDecl["shape"] = "unit";
    const tupleTypes: A.TypeExpr[] = [];
    let fields: A.FieldDecl[] = [];
    this.OPTION(() => {
      this.OR([
        {
          ALT: unnamed(() => {
            shape = "tuple";
            this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: unnamed(() => tupleTypes.push(this.SUBRULE(this.type))) });
            this.CONSUME(T.RParen);
          }),
        },
        {
          ALT: unnamed(() => {
            shape = "struct";
            fields = this.SUBRULE(this.fieldList);
          }),
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
    const start = this.here();
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
    // `impl T for X with reads(R) { .. }`: an effect ceiling for every method of the block.
    let effects: A.EffectClause | undefined;
    this.OPTION3({
      GATE: unnamed(() => isTok(this.LA(1), KW.with)),
      DEF: unnamed(() => {
        effects = this.SUBRULE(this.effectClause, { ARGS: [true] });
      }),
    });
    const wheres: { target: A.TypeExpr; bounds: A.TypeExpr[] }[] = [];
    this.MANY(() => {
      const w = this.SUBRULE(this.contractClause);
      this.ACTION(() => wheres.push(...(w?.wheres ?? [])));
    });
    const methods = this.SUBRULE(this.methodList);
    return this.ACTION(() => {
      withWhereBounds(generics, wheres);
      const impl = this.mk(start, { kind: "impl" as const, generics, trait, target, methods });
      return effects ? { ...impl, effects } : impl;
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.ImplDecl });

  public methodList = this.RULE("methodList", (): A.FnDecl[] => {
    const methods: A.FnDecl[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR([
        {
          ALT: unnamed(() => {
            const start = this.here();
            const attrs: A.Attribute[] = [];
            this.MANY2(() => attrs.push(this.SUBRULE(this.attribute)));
            let pub = false;
            this.OPTION(() => {
              this.OR2([{ ALT: unnamed(() => this.CONSUME(KW.pub)) }, { ALT: unnamed(() => this.CONSUME(KW.private)) }]);
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
          }),
        },
        {
          // associated type `type Item;` / `type Item = T;` (kept out of the AST)
          ALT: unnamed(() => {
            this.CONSUME(KW.type);
            this.SUBRULE(this.ident);
            this.OPTION2(() => {
              this.CONSUME(T.Eq);
              this.SUBRULE(this.type);
            });
            this.CONSUME(T.Semi);
          }),
        },
      ]);
    });
    this.CONSUME(T.RBrace);
    return methods;
  }, { recoveryValueFunc: () => [] });

  public traitDecl = this.RULE("traitDecl", (): A.TraitDecl => {
    const start = this.here();
    this.CONSUME(KW.trait);
    const name = this.SUBRULE(this.ident);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => {
      generics = this.SUBRULE(this.genericParams);
    });
    // `trait Named: Shape + Display`: the supertraits a bound on Named brings along.
    const supertraits: A.TypeExpr[] = [];
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      supertraits.push(this.SUBRULE(this.type));
      this.MANY(() => {
        this.CONSUME(T.Plus);
        supertraits.push(this.SUBRULE2(this.type));
      });
    });
    // `trait T with reads(R) { .. }`: the ceiling of every method that declares none of its own.
    let effects: A.EffectClause | undefined;
    this.OPTION3({
      GATE: unnamed(() => isTok(this.LA(1), KW.with)),
      DEF: unnamed(() => {
        effects = this.SUBRULE(this.effectClause, { ARGS: [true] });
      }),
    });
    const methods = this.SUBRULE(this.methodList);
    return this.ACTION(() => {
      this.checkClass(name, "type", "trait");
      const trait = this.mk(start, { kind: "trait" as const, name, pub: false, generics, methods, ...(supertraits.length ? { supertraits } : {}) });
      return effects ? { ...trait, effects } : trait;
    });
  }, { recoveryValueFunc: () => undefined as unknown as A.TraitDecl });

  public constDecl = this.RULE("constDecl", (): A.ConstDecl => {
    const start = this.here();
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
    const start = this.here();
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
    const start = this.here();
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
    const start = this.here();
    let transparent = false;
    this.OPTION(() => {
      this.CONSUME(KW.transparent);
      transparent = true;
    });
    this.CONSUME(KW.effect);
    return this.OR([
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.resource);
          return this.SUBRULE(this.resourceTail, { ARGS: [start] }) as A.Item;
        }),
      },
      {
        ALT: unnamed(() => {
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
        }),
      },
      {
        ALT: unnamed(() => {
          this.CONSUME(KW.verb);
          const name = this.SUBRULE2(this.ident);
          this.CONSUME2(T.Semi);
          return this.ACTION(() => {
            this.checkClass(name, "value", "effect verb");
            return this.mk(start, { kind: "effectVerb" as const, name, transparent });
          }) as A.Item;
        }),
      },
    ]);
  }, { recoveryValueFunc: () => undefined as unknown as A.Item });

  public resourceDecl = this.RULE("resourceDecl", (): A.EffectResourceDecl => {
    const start = this.here();
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
    const start = this.here();
    this.CONSUME(KW.import);
    const path: string[] = [this.SUBRULE(this.ident).name];
    let names: string[] = [];
    let alias: string | undefined;
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.OR([
        { ALT: unnamed(() => { path.push(this.SUBRULE2(this.ident).name); }) },
        { ALT: unnamed(() => { this.CONSUME(T.Star); names = ["*"]; }) },
        {
          ALT: unnamed(() => {
            this.CONSUME(T.LBrace);
            this.MANY_SEP({ SEP: T.Comma, DEF: unnamed(() => names.push(this.SUBRULE3(this.ident).name)) });
            this.CONSUME(T.RBrace);
          }),
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
}

/** `where T: Ord + Display`: the bounds join those written on the type parameter `T` itself. */
function withWhereBounds(generics: A.GenericParam[], wheres: { target: A.TypeExpr; bounds: A.TypeExpr[] }[]): void {
  for (const w of wheres) {
    if (w.target.kind !== "named" || w.target.path.length !== 1 || w.target.args.length) continue;
    const g = generics.find((x) => x.name === (w.target as { path: string[] }).path[0]);
    if (g) g.bounds = [...g.bounds, ...w.bounds];
  }
}
