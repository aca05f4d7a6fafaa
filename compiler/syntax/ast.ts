// The abstract syntax tree produced by the parser. Every node carries a span and a
// program-unique numeric id so later passes can keep side tables (types, effects,
// parallel groups) keyed by node without mutating the tree.

export interface Span {
  offset: number; // 0-based UTF-16 offset into the source
  length: number;
  line: number; // 1-based
  column: number; // 1-based, in UTF-16 code units
}

export interface NodeBase {
  id: number;
  span: Span;
}

// ---------------------------------------------------------------- program

export interface Program {
  file: string;
  /** The source text the spans index (a merged program's files joined by newlines); `dbg(x)` prints the text of `x`. */
  source?: string;
  items: Item[];
  /** `test "name" { .. }` blocks, in source order. They are not items: only `kara test` (and
   * checking with `checkTests`) turns them into functions, so every other phase ignores them. */
  tests?: TestDecl[];
}

// `test "name" { body }` at module level (`test` is a word only in this position).
export interface TestDecl extends NodeBase {
  kind: "test";
  name: string; // the decoded string literal
  nameSpan: Span;
  attrs: Attribute[];
  pub: boolean; // a visibility modifier was written (reported: test cases are not callables)
  body: Block;
}

export interface Attribute extends NodeBase {
  name: string; // "derive", "par_order_free", "karafmt::skip", ...
  // One string per argument, its tokens joined without spaces: derive(Display, Eq) ->
  // ["Display", "Eq"]; test(requires = [db.Users]) -> ["requires=[db.Users]"]; cfg(not(x)) -> ["not(x)"]
  args: string[];
}

export type Item =
  | FnDecl
  | StructDecl
  | EnumDecl
  | ImplDecl
  | TraitDecl
  | ConstDecl
  | TypeAliasDecl
  | EffectResourceDecl
  | EffectGroupDecl
  | EffectVerbDecl
  | ImportDecl;

export interface Ident extends NodeBase {
  name: string;
}

export interface GenericParam extends NodeBase {
  name: string;
  bounds: TypeExpr[]; // T: Ord + Display
  isEffectVar: boolean; // declared after `with` in the list: [T, with E]
}

/** `frozen T`: a read-only handle to a deeply immutable `shared` value that `par` branches may all read (karac's stage-1 freeze form). */
export type ParamMode = "owned" | "ref" | "mutref" | "mutslice" | "frozen";

export interface Param extends NodeBase {
  name: Ident;
  mode: ParamMode;
  type: TypeExpr;
  defaultValue?: Expr;
}

export type Receiver = "self" | "ref" | "mutref"; // self / ref self / mut ref self

export interface FnDecl extends NodeBase {
  kind: "fn";
  name: Ident;
  pub: boolean;
  attrs: Attribute[];
  generics: GenericParam[];
  receiver?: Receiver; // present for methods
  /** `frozen self`: parsed as receiver `ref`, checked like a `frozen` parameter (effects/frozen.ts). */
  frozenSelf?: true;
  params: Param[];
  ret?: TypeExpr;
  effects?: EffectClause;
  body?: Block; // absent for trait method signatures
  /** `requires e` / `ensures e` (`ensures(r) e`, `ensures |r| e` name the result), in source order. */
  contracts?: Contract[];
}

export interface Contract extends NodeBase {
  kind: "requires" | "ensures";
  /** The name an `ensures` clause gives the returned value (`result` unless written). */
  binding?: string;
  expr: Expr;
}

export interface FieldDecl extends NodeBase {
  name: Ident;
  type: TypeExpr;
  mut: boolean;
  pub: boolean;
}

export type StructFlavor = "plain" | "shared" | "par";

export interface StructDecl extends NodeBase {
  kind: "struct";
  name: Ident;
  pub: boolean;
  flavor: StructFlavor;
  attrs: Attribute[];
  generics: GenericParam[];
  fields: FieldDecl[];
  /** `invariant e` / `impl invariant e` members, in source order. */
  invariants?: Invariant[];
}

/**
 * A struct invariant, checked with `self` in scope at method exits: a plain one at the exit of
 * each `pub` method and `pub` constructor, an `impl invariant` (`everyMethod`) at every method's.
 */
export interface Invariant extends NodeBase {
  everyMethod: boolean;
  expr: Expr;
}

export interface VariantDecl extends NodeBase {
  name: Ident;
  shape: "unit" | "tuple" | "struct";
  tupleTypes: TypeExpr[]; // shape "tuple"
  fields: FieldDecl[]; // shape "struct"
}

export interface EnumDecl extends NodeBase {
  kind: "enum";
  name: Ident;
  pub: boolean;
  flavor: StructFlavor;
  attrs: Attribute[];
  generics: GenericParam[];
  variants: VariantDecl[];
}

export interface ImplDecl extends NodeBase {
  kind: "impl";
  generics: GenericParam[];
  trait?: TypeExpr; // impl Trait for Target
  target: TypeExpr;
  methods: FnDecl[];
  /** `impl .. with clause { .. }`: the effect ceiling of every method of the block. */
  effects?: EffectClause;
}

export interface TraitDecl extends NodeBase {
  kind: "trait";
  name: Ident;
  pub: boolean;
  generics: GenericParam[];
  methods: FnDecl[]; // body present = default method
  /** `trait Named: Shape + Display`: the supertraits, in source order (absent when none). */
  supertraits?: TypeExpr[];
  /** `trait T with clause { .. }`: the ceiling of each method that declares no clause of its own. */
  effects?: EffectClause;
}

// `const NAME: T = e;` and module-level `let [mut] NAME: T = e;`
export interface ConstDecl extends NodeBase {
  kind: "const";
  name: Ident;
  isLet: boolean;
  mut: boolean;
  type?: TypeExpr;
  value: Expr;
}

export interface TypeAliasDecl extends NodeBase {
  kind: "typeAlias";
  name: Ident;
  distinct: boolean;
  type: TypeExpr;
}

// effect resource Name [key: i64] : Bound + Bound;
export interface EffectResourceDecl extends NodeBase {
  kind: "effectResource";
  name: Ident;
  keyParam?: { name: Ident; type: TypeExpr };
  bounds: TypeExpr[];
}

// effect group name = reads(A) + writes(B) + other_group;
export interface EffectGroupDecl extends NodeBase {
  kind: "effectGroup";
  name: Ident;
  terms: EffectItem[];
}

// [transparent] effect verb name;
export interface EffectVerbDecl extends NodeBase {
  kind: "effectVerb";
  name: Ident;
  transparent: boolean;
}

export interface ImportDecl extends NodeBase {
  kind: "import";
  path: string[];
  names: string[]; // {X, Y} or ["*"]; empty = the last path segment
  alias?: string;
  pub: boolean;
}

// ---------------------------------------------------------------- effects

export interface ResourceRef extends NodeBase {
  path: string[]; // Ledger, or db.Users
  key?: Expr; // Shard[k]
}

// One item of an effect clause or group:
//  - verb:  reads(A, B), writes(X), panics, my_verb(R)
//  - group: a bare effect-group name
//  - var:   an effect variable (E) or the wildcard `_`
export type EffectItem =
  | (NodeBase & { kind: "verb"; verb: string; resources: ResourceRef[] })
  | (NodeBase & { kind: "group"; name: string })
  | (NodeBase & { kind: "var"; name: string });

export interface EffectClause extends NodeBase {
  withKeyword: boolean;
  items: EffectItem[];
}

// ---------------------------------------------------------------- types

export type TypeExpr =
  // i64, Vec[T], Map[K, V], Array[T, 3], Counter, a.b.Type
  | (NodeBase & { kind: "named"; path: string[]; args: TypeArg[] })
  | (NodeBase & { kind: "tuple"; elems: TypeExpr[] }) // () is the unit type
  | (NodeBase & { kind: "fn"; params: TypeExpr[]; ret?: TypeExpr; effects?: EffectClause })
  | (NodeBase & { kind: "ref"; mut: boolean; inner: TypeExpr })
  | (NodeBase & { kind: "self" }) // Self
  | (NodeBase & { kind: "infer" }); // _

export type TypeArg = TypeExpr | (NodeBase & { kind: "const"; value: Expr });

// ---------------------------------------------------------------- patterns

export type Pattern =
  | (NodeBase & { kind: "wild" })
  | (NodeBase & { kind: "bind"; name: string; mut: boolean; sub?: Pattern }) // x, mut x, x @ p
  | (NodeBase & { kind: "lit"; value: Expr }) // 1, -1, 'a', "s", true, 1.5
  | (NodeBase & { kind: "range"; lo?: Expr; hi?: Expr; inclusive: boolean })
  | (NodeBase & { kind: "tuple"; elems: Pattern[] })
  // Color.Red, Red, Some(x), Cmd.Move(a, b)
  | (NodeBase & { kind: "variant"; path: string[]; args?: Pattern[] })
  // Point { x, y: 0, .. }, Cmd.Say { text }
  | (NodeBase & { kind: "struct"; path: string[]; fields: { name: string; pattern: Pattern; span: Span }[]; rest: boolean })
  | (NodeBase & { kind: "or"; alts: Pattern[] })
  | (NodeBase & { kind: "slice"; elems: Pattern[] }) // [a, .., b]
  | (NodeBase & { kind: "rest"; binding?: string }); // `..` or `..rest` inside a slice pattern

// ---------------------------------------------------------------- expressions

export interface Arg extends NodeBase {
  value: Expr;
  mutMarker: boolean; // f(mut x)
  label?: string; // f(width: 3)
}

export interface FStringHole {
  expr: Expr;
  spec?: string; // text after the first top-level ':'
  span: Span;
}

export interface MatchArm extends NodeBase {
  pattern: Pattern;
  guard?: Expr;
  body: Expr;
}

export interface ClosureParam extends NodeBase {
  pattern: Pattern;
  type?: TypeExpr;
}

export interface Block extends NodeBase {
  kind: "block";
  stmts: Stmt[];
  tail?: Expr;
  label?: string;
  /** An `unsafe { .. }` block: operations karac restricts to one (`get_unchecked`) are allowed inside. */
  unsafe?: true;
}

export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%"
  | "&" | "|" | "^" | "<<" | ">>"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "and" | "or" | "??" | "|>";

export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "&=" | "|=" | "^=" | "<<=" | ">>=";

export type Expr =
  | (NodeBase & { kind: "int"; text: string; value: bigint; suffix?: string })
  | (NodeBase & { kind: "float"; text: string; value: number; suffix?: string })
  | (NodeBase & { kind: "str"; value: string; multiline: boolean })
  | (NodeBase & { kind: "fstr"; parts: (string | FStringHole)[] })
  | (NodeBase & { kind: "char"; value: number }) // Unicode scalar value
  | (NodeBase & { kind: "byte"; value: number }) // b'a'
  | (NodeBase & { kind: "bytestr"; value: number[] }) // b"..."
  | (NodeBase & { kind: "bool"; value: boolean })
  | (NodeBase & { kind: "unit" }) // ()
  | (NodeBase & { kind: "ident"; name: string }) // x, Counter, i64, Self, self
  | (NodeBase & { kind: "binary"; op: BinaryOp; left: Expr; right: Expr })
  | (NodeBase & { kind: "unary"; op: "-" | "not" | "~" | "*"; operand: Expr })
  | (NodeBase & { kind: "cast"; expr: Expr; type: TypeExpr })
  | (NodeBase & { kind: "try"; expr: Expr }) // e?
  | (NodeBase & { kind: "call"; callee: Expr; args: Arg[] })
  // a.m(args). The resolver decides whether `a` is a value, a type (Counter.new) or a module.
  // `optional` is set for `a?.m()` (short-circuits to None like `?.` field access).
  | (NodeBase & { kind: "methodCall"; receiver: Expr; method: Ident; args: Arg[]; optional?: boolean })
  | (NodeBase & { kind: "field"; object: Expr; name: Ident; optional: boolean }) // a.b, t.0, a?.b
  // a[i]; also Name[T, U] generic application and Array[1, 2] / Vec[1, 2] / Set[1] prefix
  // literals, which only the checker can tell apart from indexing.
  | (NodeBase & { kind: "index"; object: Expr; indices: Expr[] })
  | (NodeBase & { kind: "range"; lo?: Expr; hi?: Expr; inclusive: boolean })
  | (NodeBase & { kind: "tuple"; elems: Expr[] })
  // [a, b] (a Vec), [v; n], ["k": 1] (a Map); with `prefix` for Array[..], Vec[..], Map[..], Set[..]
  | (NodeBase & { kind: "list"; prefix?: string; elems: Expr[]; repeat?: { value: Expr; count: Expr }; entries?: [Expr, Expr][] })
  | (NodeBase & { kind: "structLit"; path: string[]; typeArgs: TypeArg[]; fields: { name: Ident; value: Expr }[]; base?: Expr })
  | Block
  | (NodeBase & { kind: "if"; cond: Expr; then: Block; else?: Expr })
  | (NodeBase & { kind: "ifLet"; pattern: Pattern; value: Expr; then: Block; else?: Expr })
  // Loops keep the attributes written before them (`#[par_order_free] for ..`) in `attrs`.
  | (NodeBase & { kind: "while"; cond: Expr; body: Block; label?: string; attrs?: Attribute[] })
  | (NodeBase & { kind: "whileLet"; pattern: Pattern; value: Expr; body: Block; label?: string; attrs?: Attribute[] })
  | (NodeBase & { kind: "loop"; body: Block; label?: string; attrs?: Attribute[] })
  | (NodeBase & { kind: "for"; pattern: Pattern; iter: Expr; body: Block; label?: string; attrs?: Attribute[] })
  | (NodeBase & { kind: "match"; scrutinee: Expr; arms: MatchArm[] })
  | (NodeBase & { kind: "closure"; params: ClosureParam[]; body: Expr; capture?: "own" | "ref" | "mutref" })
  | (NodeBase & { kind: "return"; value?: Expr })
  | (NodeBase & { kind: "break"; label?: string; value?: Expr })
  | (NodeBase & { kind: "continue"; label?: string })
  | (NodeBase & { kind: "par"; body: Block })
  | (NodeBase & { kind: "seq"; body: Block })
  | (NodeBase & { kind: "lock"; target: Expr; alias?: Ident; body: Block })
  | (NodeBase & { kind: "error" }); // placeholder left by parser error recovery

export type Stmt =
  // `byRef`: `let x = ref <place>;`, a read-only borrow of the place (no copy, no drop).
  | (NodeBase & { kind: "let"; pattern: Pattern; type?: TypeExpr; value?: Expr; elseBlock?: Block; byRef?: boolean })
  | (NodeBase & { kind: "assign"; op: AssignOp; target: Expr; value: Expr })
  | (NodeBase & { kind: "expr"; expr: Expr; semi: boolean })
  | (NodeBase & { kind: "defer"; body: Expr; err: boolean; binding?: string }) // defer / errdefer(e)
  | (NodeBase & { kind: "empty" });

export type ExprKind = Expr["kind"];
export type StmtKind = Stmt["kind"];
