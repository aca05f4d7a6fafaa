// The typed, monomorphic program ("TIR") that the checker hands to codegen.
//
// Shape in brief:
//  - Every expression carries a concrete `Type` and the source span it came from.
//  - Generic functions, structs and enums are instantiated per type arguments; each
//    instance has a unique mangled name (e.g. `Pair[i64, String]`, `max_of[i64]`).
//  - Closures, `par` branches and task thunks are lifted into their own TFunction with an
//    explicit capture list, so codegen lowers every body the same way.
//  - Sugar is gone: implicit widening is a `coerce` node, aggregate copies are `copy`
//    nodes, moves out of locals are `move` nodes, `mut ref` arguments are places,
//    f-strings are part lists, `if let`/`while let` are `match`/`loop`, `for` loops are
//    classified, and builtin methods are enumerated `BuiltinOp`s.
//  - Memory: owned locals are listed in the `drops` of the block (or function) that
//    declares them; a `move` of a local leaves it empty, so dropping is "free if still
//    owned". Nothing else is freed implicitly.
//
// Stability: this file is a contract with codegen. Changes are additive only.

import type { Span } from "../syntax/ast.js";
import type { BuiltinOp } from "./builtins.js";
import type { SourceFilePlace } from "./source-files.js";

export type { Span };

// ---------------------------------------------------------------- types

export type IntName = "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64";

export type Type =
  | { kind: "int"; name: IntName; bits: 8 | 16 | 32 | 64; signed: boolean }
  | { kind: "float"; bits: 32 | 64 }
  | { kind: "bool" }
  | { kind: "char" }
  | { kind: "string" }
  | { kind: "unit" }
  | { kind: "never" }
  | { kind: "tuple"; elems: Type[] }
  // Instantiated user/prelude types are referenced by mangled name; their definitions live in
  // TProgram.structs / TProgram.enums (this keeps recursive `shared` types finite).
  | { kind: "struct"; name: string; flavor: Flavor }
  | { kind: "enum"; name: string; flavor: Flavor }
  // A VecDeque is a Vec with `deque` (same storage); SortedMap / SortedSet are a Map / Set with
  // `sorted` (same storage, iterated and printed in ascending key order). An iterator value is a
  // Vec with `iter`: the items not yet taken, last one first.
  | { kind: "vec"; elem: Type; deque?: true; iter?: true }
  | { kind: "array"; elem: Type; len: number }
  | { kind: "slice"; elem: Type; mut: boolean }
  | { kind: "map"; key: Type; value: Type; sorted?: true }
  | { kind: "set"; elem: Type; sorted?: true }
  // Function values and closures share one representation: {table index, environment}.
  | { kind: "fn"; params: Type[]; ret: Type }
  | { kind: "atomic"; inner: Type }
  | { kind: "mutex"; inner: Type }
  // `weak T` for a `shared` T: a handle that does not keep the object alive (docs/ownership.md).
  | { kind: "weak"; inner: Type }
  | { kind: "taskGroup" }
  | { kind: "taskHandle"; result: Type }
  | { kind: "memoryOrdering" }
  | { kind: "range"; elem: Type; inclusive: boolean }
  | { kind: "channel"; elem: Type }
  | { kind: "sender"; elem: Type }
  | { kind: "receiver"; elem: Type };

export type Flavor = "plain" | "shared" | "par";

/**
 * How a value of a type behaves when bound, passed or stored:
 *  - "copy": scalars, function values, handles; a bit copy, nothing to free.
 *  - "shared": `shared`/`par` structs and enums; reference semantics (aliasing).
 *  - "owned": value aggregates (String, Vec, Array, Map, Set, tuple/struct/enum with
 *    heap data); reading a field/element into a binding deep-copies, scope exit frees.
 * Computed by `valueClass` in check/types.ts; recorded on locals as `owned`.
 */
export type ValueClass = "copy" | "shared" | "owned";

export type MemoryOrdering = "Relaxed" | "Acquire" | "Release" | "AcqRel" | "SeqCst";

// ---------------------------------------------------------------- definitions

export interface TStructDef {
  name: string; // mangled, unique: "Point", "Pair[i64, String]"
  baseName: string; // source name: "Pair"
  typeArgs: Type[];
  flavor: Flavor;
  fields: TFieldDef[];
  display?: DisplayImpl;
  /** A user `impl PartialEq/Eq` (`eq`) / `impl PartialOrd/Ord` (`cmp`), which replace the structural comparison. */
  userEq?: FnId;
  userCmp?: FnId;
  /** A user `impl Drop` (`drop(mut ref self)`), run when a value is destroyed, before its fields. */
  userDrop?: FnId;
  derives: string[]; // derive(...) names, e.g. ["Display", "PartialEq"]
  span: Span;
}

export interface TFieldDef {
  name: string;
  type: Type;
  mut: boolean; // `mut` field (shared/par structs)
}

export interface TEnumDef {
  name: string; // "Option[i64]", "Color"
  baseName: string; // "Option"
  typeArgs: Type[];
  flavor: Flavor;
  variants: TVariantDef[];
  display?: DisplayImpl;
  userEq?: FnId;
  userCmp?: FnId;
  userDrop?: FnId;
  derives: string[];
  /** "option" / "result" / "ordering" / "memoryOrdering" for the prelude enums codegen may special-case. */
  prelude?: "option" | "result" | "ordering";
  span: Span;
}

export interface TVariantDef {
  name: string;
  shape: "unit" | "tuple" | "struct";
  /** Payload fields in order; names only for struct-shaped variants. */
  fields: { name?: string; type: Type }[];
}

/** How a user type prints: derived (`Name { a: 1 }`, `Variant(x)`) or a user `to_string(ref self)`. */
/** `snakeCase`: `#[derive(Display(snake_case))]` prints an enum variant `DarkRed` as `dark_red`. */
export type DisplayImpl = { kind: "derive"; snakeCase?: boolean } | { kind: "user"; fn: FnId };

// ---------------------------------------------------------------- program

export type FnId = number; // index into TProgram.functions
export type LocalId = number; // index into the owning TFunction.locals

export interface TProgram {
  file: string;
  /**
   * A program of several files: each file's name and where it starts in the merged offsets
   * (tir/source-files.ts finds a span's file). Absent for a program of one file.
   */
  sourceFiles?: SourceFilePlace[];
  functions: TFunction[]; // indexed by FnId
  /** The entry point; absent for a library file (checked, never run). */
  main?: FnId;
  structs: Map<string, TStructDef>;
  enums: Map<string, TEnumDef>;
  /** Module-level `const` / `let` values, evaluated in order before main. */
  globals: TGlobal[];
  /** `effect resource` declarations (for the later effect phase). */
  resources: TResourceDecl[];
  /** User `effect verb` declarations. */
  verbs: { name: string; transparent: boolean; span: Span }[];
  /** `effect group` declarations, unexpanded. */
  effectGroups: { name: string; terms: TEffectItem[]; span: Span }[];
  /** Trait declarations' method signatures (provider resources name traits as bounds). */
  traits?: TTraitDecl[];
}

export interface TTraitDecl {
  name: string;
  methods: TTraitMethod[];
  /** `trait T with clause`: the ceiling of the methods that declare no clause of their own. */
  effects?: TEffectItem[];
  /** Effect variables the trait-level clause may name. */
  effectVars?: string[];
  span: Span;
}

/** A trait method's signature as far as the effect phase needs it: receiver and declared clause. */
export interface TTraitMethod {
  name: string;
  receiver?: "self" | "ref" | "mutref";
  effects?: TEffectItem[];
  /** Effect variables the method may name (its own and the trait's `with E` generics). */
  effectVars: string[];
  /** Whether the method has a default body. */
  hasBody: boolean;
  span: Span;
}

export interface TGlobal {
  id: number;
  name: string;
  type: Type;
  mut: boolean;
  init: TExpr;
  span: Span;
}

export interface TResourceDecl {
  name: string;
  /** The partition key of a parameterised resource (`effect resource Shard[key: i64];`). */
  keyParam?: { name: string; type: Type };
  /** Provider trait bounds (`effect resource Mailer: MailProvider;`), by trait name. */
  bounds: string[];
  span: Span;
}

/**
 * A partition key written in a clause (`writes(Shard[1])`): a literal integer names one
 * partition; any other key is not known until run time and may be any partition. `text` is
 * how the key reads in messages (the name it was written with, or `_`).
 */
export type TResourceKey = { kind: "literal"; value: bigint } | { kind: "any"; text: string };

/** One item of a `with` clause, names resolved to strings. */
export type TEffectItem =
  | { kind: "verb"; verb: string; resources: { path: string[]; key?: TResourceKey; span: Span }[]; span: Span }
  | { kind: "group"; name: string; span: Span }
  | { kind: "var"; name: string; span: Span };

export type FnKind =
  | "fn" // free function
  | "method" // impl method (receiver or associated)
  | "closure" // lifted closure literal
  | "parBranch" // lifted statement of a `par { }`
  | "thunk"; // lifted closure passed to spawn / TaskGroup.spawn

export interface TFunction {
  id: FnId;
  kind: FnKind;
  /** Unique mangled symbol name: "main", "Counter.tick", "max_of[i64]", "main$closure2". */
  name: string;
  /** The name karac prints in `panic at f:l:c in <fn>`: the enclosing source function for lifted bodies. */
  panicName: string;
  /** `Type.name` owner for methods ("Counter"), else undefined. */
  owner?: string;
  receiver?: "self" | "ref" | "mutref";
  params: TParam[]; // receiver, when present, is params[0]
  ret: Type;
  /** Lifted bodies only: the environment slots, in order. Captured values are locals of kind "capture". */
  captures: TCaptureSlot[];
  locals: TLocal[]; // indexed by LocalId
  body: TBlock;
  /** Owned params freed when the function returns (unless moved). */
  paramDrops: LocalId[];
  /** Declared `with` clause (undefined when the function has none). */
  effects?: TEffectItem[];
  /** Effect variables the signature declares (`[T, with E]`, an enclosing impl's included). */
  effectVars?: string[];
  /** Fn-typed parameters whose type carries a clause (`f: Fn(T) -> T with E`): the slots arguments are checked against. */
  slots?: TSlot[];
  /**
   * A method implementing a trait method (`impl Trait for T`), or a trait's default body used for
   * T (`isDefault`): its effects must stay within the trait method's ceiling. `implEffects` is the
   * clause of `impl .. with clause { }` around it, a ceiling of its own.
   */
  traitImpl?: { trait: string; method: string; isDefault: boolean; implEffects?: TEffectItem[] };
  /** `#[no_effect(allocates(Heap), panics)]`: verbs (narrowed to resources when some are named) the function's effects must not include. */
  noEffect?: { verb: string; resources: string[]; text: string }[];
  /**
   * `requires` / `ensures` predicates (E0410: they must be pure). Code generation checks each
   * `requires` on entry and each `ensures` at the function's exit with `result` (the local it
   * names) holding the returned value; a false one panics `contract violated: requires clause`
   * (or `ensures clause`) at the predicate.
   */
  contracts?: { kind: "requires" | "ensures" | "invariant"; expr: TExpr; span: Span; result?: LocalId }[];
  /** Each `old(e)` of the `ensures` predicates: `value` (e) is stored in `local` on entry, after the `requires` checks. */
  contractSnapshots?: { local: LocalId; value: TExpr }[];
  pub: boolean;
  span: Span;
  /**
   * Par branches of kind `result` (see TParBranch.result): right after the branch's `let`, a value
   * of `local` matching `errPattern` (`Err(_)`) cancels the siblings and records `index` (the
   * branch's source position) as a failed branch.
   */
  parResult?: { index: number; local: LocalId; errPattern: TPattern };
}

/** The clause of a Fn-typed parameter's type; `param` indexes TFunction.params (receiver included). */
export interface TSlot {
  param: number;
  effects: TEffectItem[];
}

export interface TParam {
  local: LocalId;
  name: string;
  mode: "owned" | "ref" | "mutref";
  type: Type; // the pointee type for ref/mutref
  span: Span;
  /** Declared `frozen T` (mode is `ref`): `par` branches may all pass the value on to such a parameter. */
  frozen?: true;
}

export interface TLocal {
  id: LocalId;
  name: string;
  type: Type;
  kind: "param" | "let" | "capture" | "temp";
  mut: boolean;
  /** Parameter mode for params; captures by reference are "mutref". */
  mode: "owned" | "ref" | "mutref";
  /** Needs a memory cell because its address escapes: captured by reference, passed as `mut ref`, or written by a par branch. */
  addressTaken: boolean;
  /** Owned value freed at scope exit (unless moved out). */
  owned: boolean;
  /** For kind "capture": slot index in the function's environment. */
  captureIndex?: number;
  span: Span;
}

/**
 * By value: the slot holds the value read when the closure is created; the body never mutates it. An owned
 * aggregate's pointer may be shared with the outer binding for par branches and task thunks (they finish
 * before the creating scope ends); a closure that can outlive its scope should take a deep copy. By reference: the slot holds the outer cell's address
 * (outer local is `addressTaken`); used when the body assigns or mutates the capture (F15.1) and for
 * `par` hoisted bindings and Atomic/Mutex locals shared by branches.
 */
export interface TCaptureSlot {
  name: string;
  local: LocalId; // the capture local inside the lifted function
  byRef: boolean; // the slot holds the address of the outer cell
  type: Type;
}

/** At a closure/branch/thunk creation site: what fills each environment slot. */
export interface TCaptureInit {
  /** Outer local (in the creating function) whose value, or address when byRef, fills the slot. */
  outer: LocalId;
  byRef: boolean;
}

// ---------------------------------------------------------------- places

/** A memory location: assignment targets, `mut ref` arguments, receivers of mutating builtins. */
export type TPlace =
  | { kind: "local"; local: LocalId; type: Type; span: Span }
  | { kind: "global"; global: number; type: Type; span: Span }
  | { kind: "field"; base: TPlace; index: number; type: Type; span: Span } // struct field
  | { kind: "tupleField"; base: TPlace; index: number; type: Type; span: Span }
  // coll "map": the value slot of key `index` in the map at `base`, for in-place updates (`m[k] += 1`,
  // `m[k].push(x)`, `m[k][i] = x`); a missing key panics "Map index: key not present". With `orInsert`
  // (`m.entry(k).or_insert(d)`) a missing key is inserted with that default first (`index` and
  // `orInsert` are then owned). Plain Map reads stay the "map.index" builtin and `m[k] = v` is "map.insert".
  | { kind: "index"; base: TPlace; index: TExpr; coll: "vec" | "array" | "slice" | "map"; type: Type; span: Span; orInsert?: TExpr }
  // The result of an expression that is not itself a place (`make()[0]`, `pair().1`): evaluate once, then address it.
  | { kind: "temp"; value: TExpr; type: Type; span: Span };

// ---------------------------------------------------------------- expressions

export type BinOp =
  | "+" | "-" | "*" | "/" | "%"
  | "&" | "|" | "^" | "<<" | ">>"
  | "==" | "!=" | "<" | "<=" | ">" | ">=";

export type TArg =
  | { mode: "owned"; value: TExpr }
  | { mode: "ref"; value: TExpr } // read-only view: no copy made
  | { mode: "mutref"; place: TPlace };

export type TReceiver = { kind: "value"; value: TExpr } | { kind: "place"; place: TPlace };

/** Parsed `{x:spec}` format spec: `[[fill]align][0][width][.precision][type]`. */
export interface FormatSpec {
  fill: string; // default " "
  align?: "<" | ">" | "^";
  zero: boolean;
  width?: number;
  precision?: number;
  radix?: "x" | "X" | "o" | "b" | "d";
}

export type FStringPart = { kind: "text"; text: string } | { kind: "hole"; value: TExpr; spec?: FormatSpec; span: Span };

export type TExpr = TExprNode & { type: Type; span: Span };

export type TExprNode =
  | { kind: "int"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "char"; value: number }
  | { kind: "string"; value: string }
  | { kind: "unit" }
  // Reading a place without consuming it (Copy types, `ref` arguments, operands, receivers).
  | { kind: "read"; place: TPlace }
  // Consuming read of a whole local: the local is empty afterwards (not dropped at scope exit).
  | { kind: "move"; local: LocalId }
  // Deep copy of an owned aggregate read from a place (F17.1 value semantics).
  | { kind: "copy"; value: TExpr }
  // Lossless implicit conversion (int widening, int→float) at let/arg/return/field/element sites.
  | { kind: "coerce"; value: TExpr; from: Type; to: Type }
  | { kind: "cast"; value: TExpr; from: Type; to: Type } // `as`
  // Arithmetic/bitwise/comparison; `operand` is the (identical) operand type. Integer + - * / % << >> trap.
  | { kind: "binary"; op: BinOp; left: TExpr; right: TExpr; operand: Type }
  | { kind: "logical"; op: "and" | "or"; left: TExpr; right: TExpr } // short-circuit
  | { kind: "unary"; op: "neg" | "not" | "bitnot"; operand: TExpr } // neg traps on MIN
  | { kind: "call"; fn: FnId; args: TArg[] }
  | { kind: "callValue"; callee: TExpr; args: TExpr[] } // calling a Fn value
  | { kind: "fnRef"; fn: FnId } // a named function used as a value
  | { kind: "builtin"; op: BuiltinOp; receiver?: TReceiver; args: TExpr[]; typeArgs: Type[]; orderings?: MemoryOrdering[] }
  | { kind: "fstring"; parts: FStringPart[] } // builds a String
  | { kind: "tuple"; elems: TExpr[] }
  | { kind: "struct"; struct: string; fields: { index: number; value: TExpr }[] } // fields in source order
  | { kind: "variant"; enum: string; variant: number; payload: TExpr[] } // payload in declaration order
  | { kind: "vecLit"; elems: TExpr[] }
  | { kind: "vecRepeat"; value: TExpr; count: TExpr } // [v; n]: independent copies
  | { kind: "arrayLit"; elems: TExpr[] }
  | { kind: "arrayRepeat"; value: TExpr; count: number }
  | { kind: "mapLit"; entries: [TExpr, TExpr][] }
  | { kind: "setLit"; elems: TExpr[] }
  | { kind: "range"; lo?: TExpr; hi?: TExpr; inclusive: boolean }
  | { kind: "slice"; base: TExpr; lo?: TExpr; hi?: TExpr; inclusive: boolean } // v[a..b]; on String: substring
  | { kind: "closure"; fn: FnId; captures: TCaptureInit[] }
  | TBlock
  | { kind: "if"; cond: TExpr; then: TBlock; else?: TExpr }
  | { kind: "match"; scrutinee: TExpr; arms: TMatchArm[] }
  // `attrs`: the attributes written before the loop (`#[par_order_free] for ..`), for the
  // auto-parallel pass; absent when there are none.
  | { kind: "while"; loopId: number; cond: TExpr; body: TBlock; attrs?: TLoopAttr[] }
  | { kind: "loop"; loopId: number; body: TBlock; attrs?: TLoopAttr[] } // type = break value type (never when no break)
  | { kind: "for"; loopId: number; iter: TForIter; body: TBlock; attrs?: TLoopAttr[] }
  | { kind: "break"; target: number; value?: TExpr } // target = loopId or block label id
  | { kind: "continue"; target: number }
  // `escape`: a `?` leaving a par branch (effects-concurrency §4.1): the value is stored in the
  // branch's `slot` (a by-reference capture), the branch fails as branch `index`, runs its cleanup
  // on the error path and ends; the enclosing function returns it after the join (TParBranch.escape).
  | { kind: "return"; value?: TExpr; escape?: { slot: LocalId; index: number } }
  // Declared for compatibility, never produced: the checker lowers `e?` to
  // `match e { Some(x) | Ok(x) => x, None => return None, Err(e) => return Err(e) }`.
  | { kind: "try"; value: TExpr }
  // origin: absent or "explicit" for a source `par { }`; "auto" for a group of independent statements
  // the concurrency phase turned into a `par` (TaskKind.AutoParBranch); "reduce" for the chunks of a
  // loop reduction it fanned out (TaskKind.ReduceChunk).
  | { kind: "par"; branches: TParBranch[]; hoisted: LocalId[]; tail?: TExpr; origin?: "explicit" | "auto" | "reduce" }
  // `lock m [alias] { body }`: `alias` is a "mutref" local bound to the mutex's inner value for the body.
  | { kind: "lock"; mutex: TPlace; alias: LocalId; body: TBlock }
  // `defer value;` / `errdefer value;` / `errdefer(e) value;` (type unit). Appears only as an `expr`
  // statement directly in a block: it registers `value` (the cleanup body) when reached, to run when that block's scope
  // exits (LIFO with the other defers and the drops). An errdefer runs only when the function returns
  // a value matching `errPattern` (`Err(_)` / `Err(e)`, binding the error to a local that no block
  // drops); it is absent when the function does not return a Result, so such an errdefer never runs.
  | { kind: "defer"; value: TExpr; err: boolean; errPattern?: TPattern }
  // `R.method(args)` on a provider-rooted resource (`effect resource R: Trait;`): dispatched at run
  // time to the provider on top of the current task's provider stack for R. `cases[tag]` is the
  // impl method of the provider type bound with that tag (TProviderBinding.tag); `args` exclude the
  // receiver, which is the bound provider itself (by address for `mut ref self`, read for `ref
  // self`, a copy for `self`). No provider bound for R panics, except for `output`: `print` /
  // `println` / `eprintln` (and `Stdout.println(s)`) routed through the Stdout or Stderr provider,
  // whose one argument is the formatted String, written to file descriptor `fd` when none is bound.
  | { kind: "providerCall"; resource: string; rid: number; method: string; receiver: "self" | "ref" | "mutref"; args: TArg[]; cases: FnId[]; output?: { fd: 1 | 2; newline: boolean } }
  // `with_provider[R](p, || body)` / `providers { R => p, .. } in { body }`: the providers, already
  // evaluated into addressable locals of the enclosing block, are pushed (first listed outermost)
  // for the body and popped on every way out of it (value, break, continue, return, cancellation).
  | { kind: "providerScope"; bindings: TProviderBinding[]; body: TBlock }
  | { kind: "error" }; // a typed hole after an error; never present in a successful check

/** One provider of a provider scope: `local` holds it (address taken), `tag` selects its dispatch case. */
export interface TProviderBinding {
  resource: string;
  /** The key frames are looked up by: the resource's index in TProgram.resources (Stdout and Stderr follow them). */
  rid: number;
  tag: number;
  local: LocalId;
  span: Span;
}

export interface TBlock {
  kind: "block";
  /** Set when the block is a `label: { .. }` break target. */
  labelId?: number;
  /** A `seq { }` block: automatic parallelisation keeps it ordered against its neighbours. */
  seq?: boolean;
  /** An `unsafe { }` block (kept for the printer; the checker has already used it). */
  unsafe?: true;
  stmts: TStmt[];
  tail?: TExpr;
  /**
   * By-value locals declared directly in this block, in declaration order; free in reverse at exit
   * unless moved. Owned locals (TLocal.owned) and non-scalar copy-class ones: a copy-class value owns
   * nothing unless codegen keeps it in a heap block of its own (tuples, slices, closure environments).
   */
  drops: LocalId[];
  type: Type;
  span: Span;
}

export interface TMatchArm {
  pattern: TPattern;
  guard?: TExpr;
  body: TExpr;
  span: Span;
}

/** Classified `for` loops; the loop variable(s) are fresh per iteration. */
/** An attribute on a loop: its name and its arguments as written (see syntax/ast.ts Attribute). */
export interface TLoopAttr {
  name: string;
  args: string[];
}

export type TForIter =
  // for i in lo..hi / lo..=hi, optionally `(lo..hi).rev()` and/or `.step_by(step)`: `elem` is the bound type.
  // `reverse` walks from the top end down; `step` (an i64, > 0 or it panics) skips from the starting end.
  // `(a..b).step_by(s).rev()` is not produced (only rev-then-step, i.e. `reverse` then `step`).
  | { kind: "range"; variable: TPattern; lo: TExpr; hi: TExpr; inclusive: boolean; elem: Type; reverse: boolean; step?: TExpr }
  // for x in v (Vec / Array / Slice): elements are read in order (copied when owned); does not consume `v`.
  | { kind: "seq"; variable: TPattern; coll: TExpr; collKind: "vec" | "array" | "slice"; elem: Type }
  // for c in s / s.chars()
  | { kind: "chars"; variable: TPattern; string: TExpr }
  // Declared for compatibility, never produced: Map/Set loops iterate a `map.entries` / `set.to_vec`
  // snapshot as "seq".
  | { kind: "map"; variable: TPattern; map: TExpr; keyType: Type; valueType: Type }
  | { kind: "set"; variable: TPattern; set: TExpr; elem: Type }
  // Not produced either: iterator pipelines are lowered to plain loops by the checker.
  | { kind: "other"; variable: TPattern; iter: TExpr; elem: Type };

/**
 * `par { s1; s2; tail }`: every top-level statement is a branch, lifted into a function. Top-level
 * `let`s of the branches are hoisted: `hoisted` lists locals of the enclosing function, declared
 * (uninitialised) by the par node itself and listed in the enclosing block's `drops`; the branch that
 * defines one writes it through a by-reference capture. `tail` runs after the join.
 */
export interface TParBranch {
  /** Lifted body (kind "parBranch"), no params, returns unit. */
  fn: FnId;
  captures: TCaptureInit[];
  /** Source line of the branch statement (task record LINE). */
  span: Span;
  /**
   * A `let name: Result[T, E] = expr;` branch (effects-concurrency §4.1): `hoisted` is the outer
   * local it writes; `isValue` when the par's type is that Result type, so the par evaluates to
   * this branch's Err when it is the source-order-earliest branch that recorded one.
   */
  result?: { hoisted: LocalId; isValue: boolean };
  /**
   * A `?` in the branch may leave it: `local` (of the enclosing function, not in any drops) receives
   * the escaping Err/None; when this branch is the source-order-earliest failed one, `exit` runs
   * after the join: `return move(local)`, itself an escape when the par sits in a par branch.
   */
  escape?: { local: LocalId; exit: TExpr };
}

/**
 * Patterns (let, match arms, for heads, closure params). A `bind` of an owned component takes its own copy:
 * the scrutinee stays intact and is freed by whoever owns it (a `let` of a fresh value binds it directly).
 */
export type TPattern = TPatternNode & { type: Type; span: Span };

export type TPatternNode =
  | { kind: "wild" }
  // `take`: the binding moves its part out of the scrutinee, leaving the slot empty (a part whose
  // type runs a user Drop, bound from a value the match owns; check/drop-bindings.ts).
  | { kind: "bind"; local: LocalId; sub?: TPattern; take?: boolean }
  | { kind: "lit"; value: TExpr } // int/float/bool/char/string literal (negative ints folded)
  | { kind: "range"; lo?: TExpr; hi?: TExpr; inclusive: boolean }
  | { kind: "tuple"; elems: TPattern[] }
  | { kind: "variant"; enum: string; variant: number; args: TPattern[] } // one per payload field (wild when omitted)
  | { kind: "struct"; struct: string; fields: { index: number; pattern: TPattern }[] }
  | { kind: "or"; alts: TPattern[] }
  // `[a, b]`, `[first, .., last]`, `[h, ..rest]` on a Vec/Array/Slice (`type`): without `rest` the length
  // must equal prefix.length; with it, the length must be at least prefix + suffix and `rest` (wild, or a
  // bind of a Slice[elem] view of the middle) stands for the elements in between.
  | { kind: "slice"; prefix: TPattern[]; rest?: TPattern; suffix: TPattern[]; elem: Type };

export type TStmt =
  | { kind: "let"; pattern: TPattern; init?: TExpr; span: Span }
  | { kind: "assign"; place: TPlace; value: TExpr; span: Span }
  // place op= value; `operand` is the operand type (String += String concatenates).
  | { kind: "compoundAssign"; op: BinOp; place: TPlace; value: TExpr; operand: Type; span: Span }
  | { kind: "expr"; expr: TExpr; span: Span };

// ---------------------------------------------------------------- builtins

/**
 * Builtin operations: the names of compiler/tir/builtins.ts, where each op's receiver mode,
 * effects, signature and docs are described. Receiver-taking ops get `receiver`; the ones that
 * modify it (push, pop, insert, ...) and the atomic ones get a place receiver. `typeArgs` carries
 * the element/operand type where the op needs it (for an Option/Result method, the enum
 * instance; for a Map op, [K, V]). Atomic ops and `fence` carry their literal orderings in
 * `orderings`. `spawn` / `taskgroup.spawn` take a `closure` expr whose fn has kind "thunk".
 * typeArgs by op family:
 *  - vec/array/slice ops: [T] (the element); `vec.sort_by`: [T, Ordering]; `vec.sort_by_key`: [T, K].
 *  - `string.split` / `string.find`: [the pattern type] (String or char).
 *  - int/float methods and constants, `cmp`, `min`/`max`/`clamp`, `range.sum`: [the operand type].
 *  - Option/Result methods: [the enum instance]; Map ops: [K, V]; Set ops: [T].
 *  - atomic ops: [T]; the receiver is the cell's place (a bare local receiver is addressTaken).
 * `m[k]` reads are "map.index"; `m[k] = v` is "map.insert"; `for x in set` iterates "set.to_vec".
 */
export type { BuiltinOp };
