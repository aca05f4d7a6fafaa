// Diagnostic codes of the resolve, type and ownership checks. Where karac reports the same mistake,
// the code is karac's (resolve E01xx, typecheck E02xx, ownership E05xx). A check karac does not make
// has a code from the gaps E0223–E0228 and the band E0280–E0299, which karac leaves to us (except
// E0285, karac's index-move check, which is the same check here). docs/diagnostics.md lists every
// code with its karac equivalent.

export const Codes = {
  /** Undefined name (value, type, function, field path root, effect resource), or a read of a sibling `par` branch's binding. karac E0100 UndefinedName. */
  Undefined: "E0100",
  /** An item, field, variant or parameter is defined twice. karac E0101 DuplicateDefinition. */
  Duplicate: "E0101",
  /** `Enum.Name` where the enum has no such variant. karac E0105 UndefinedVariant. */
  UndefinedVariant: "E0105",
  /** `import` of a module path that does not exist (single-file programs know only the standard modules). karac E0112 UnknownModule. */
  UnknownModule: "E0112",
  /** `import m.x` (or `m.x` after `import m`) where program module `m` has no top-level item `x`. karac E0113 UnknownItemInModule. */
  UnknownItemInModule: "E0113",
  /** A `private` item of a program module used from a file in another directory. karac E0111 PrivateItemAccess. */
  PrivateItemAccess: "E0111",
  /** An attribute whose bare name the compiler does not recognise (`#[nope]`; tool paths like `#[karafmt::skip]` are accepted). karac E0121 UnknownAttribute. */
  UnknownAttribute: "E0121",
  /** `impl Add for T` and other operator traits: only PartialEq, Eq, PartialOrd, Ord, Display may be implemented. karac E0108 OperatorTraitImplRestricted. */
  OperatorImpl: "E0108",

  /** Mismatched types: "expected T, found U" (also integers of different widths mixed in one operation). karac E0200 TypeMismatch. */
  Mismatch: "E0200",
  /** A non-Copy field taken by value through a borrow (`fn f(p: ref P) -> String { p.name }`). karac reports it as E0200 with the lint name borrow_projection_copy (core semantics §3.7). */
  MoveOutOfBorrow: "E0200",
  /** Binary operator with different numeric operand types: "cannot mix integer types i32 and i64". karac reports this as E0200 TypeMismatch. */
  MixedTypes: "E0200",
  /** No such field on a struct / tuple / struct-like variant (read, write or pattern). karac E0201 UndefinedField. */
  NoField: "E0201",
  /** Wrong number of arguments (also print/println/eprintln with more than one). karac E0202 WrongNumberOfArgs. */
  ArgCount: "E0202",
  /** print/println/eprintln with more than one argument: a wrong argument count. karac E0202. */
  PrintArity: "E0202",
  /** A struct literal or struct pattern misses fields. karac E0203 MissingField. */
  MissingFields: "E0203",
  /** A struct literal names a field the struct does not have. karac E0204 ExtraField. */
  ExtraField: "E0204",
  /** A `match` that does not cover every value of its scrutinee. karac E0205 NonExhaustiveMatch. */
  NonExhaustive: "E0205",
  /** Calling something that is not a function. karac E0206 NotCallable. */
  NotCallable: "E0206",
  /** Operator applied to operand types it does not accept (arithmetic on non-numbers, `and`/`or` on non-bool, ordering floats, …). karac E0208 InvalidBinaryOp. */
  BadOperand: "E0208",
  /** Comparison of values that cannot be compared (no PartialEq / PartialOrd). karac E0208 InvalidBinaryOp. */
  NotComparable: "E0208",
  /** Unary operator on an operand it does not accept (`-` on non-numbers, `~` on non-integers, `not` on non-bool). karac E0209 InvalidUnaryOp. */
  BadUnaryOperand: "E0209",
  /** `as` between types that do not convert (F3.4). karac E0210 InvalidCast. */
  InvalidCast: "E0210",
  /** An `if` / `while` condition that is not bool. karac E0211 ConditionNotBool. */
  ConditionNotBool: "E0211",
  /** `mut ref` / `mut Slice` parameter passed without the `mut` marker at the call site. karac E0218 MissingMutMarker. */
  MissingMutMarker: "E0218",
  /** `mut` written at the call site for a parameter that is not `mut ref`. karac E0219 InvalidMutMarker. */
  InvalidMutMarker: "E0219",
  /** A refutable pattern in a `let` (use `match`, `if let` or `let … else`). karac E0222 RefutablePattern. */
  RefutablePattern: "E0222",
  /** A generic function instantiated with a type that lacks a declared bound (Ord, Display, ...). karac E0232 TraitBoundNotSatisfied. */
  UnsatisfiedBound: "E0232",
  /** No such method or associated function. karac E0236 NoMethodFound. */
  NoMethod: "E0236",
  /** The type of a binding, expression or type parameter cannot be inferred: annotate it. karac E0238 CannotInferTypeParam. */
  NeedsAnnotation: "E0238",
  /** TaskHandle / TaskGroup used as a return type or struct field. karac E0253 ScopeLocalEscape. */
  ScopeLocalEscape: "E0253",
  /** A `mut` field of a `par` struct/enum that is not Atomic[T] or Mutex[T]. karac E0257 ParFieldNotConcurrent. */
  ParFieldNotConcurrent: "E0257",
  /** A `par` type's method declared `mut ref self`. karac E0258 ParMutSelfReceiver. */
  ParMutSelfReceiver: "E0258",
  /** `main` returns something other than () or Result[(), E]. karac E0266 MainReturnType. */
  MainReturnType: "E0266",
  /** `s[i]` on a String: strings are not indexed by position. karac E0268 StringNotIndexable. */
  StringNotIndexable: "E0268",
  /** Assignment to a field not declared `mut` of a `shared` / `par` struct. karac E0269 SharedFieldNotMut. */
  SharedFieldNotMut: "E0269",
  /** An atomic operation without its literal MemoryOrdering argument(s). karac E0270 AtomicMissingOrdering. */
  AtomicMissingOrdering: "E0270",
  /** Atomic[T] where T is not an integer or bool. karac E0272 AtomicInvalidInnerType. */
  AtomicInvalidInnerType: "E0272",
  /** Indexing or slicing a value that is not indexable, or with an index that is not one i64. karac E0275 TypeNotIndexable. */
  BadIndex: "E0275",
  /** A `par` branch writes a captured `let mut` (phase "effect"). karac E0408. */
  ParCapturedWrite: "E0408",

  /** Use of a binding after it was moved. karac E0500 UseAfterMove. */
  UseAfterMove: "E0500",
  /** Read of a `let x: T;` binding that is not assigned on every path before it. karac E0505 UseOfUninitialized. */
  UseOfUninitialised: "E0505",
  /** Assignment to an immutable binding (twice to a `let` without `mut`, to a part of one, or to a constant). karac E0506 ReassignToImmutable. */
  AssignImmutable: "E0506",
  /** Mutating method / `mut` argument on an immutable binding. karac E0510 MutateImmutableBinding. */
  BorrowImmutable: "E0510",

  // ---- checks karac does not make under a code of its own (codes karac does not use)
  /** A construct this compiler does not support yet. */
  Unsupported: "E0223",
  /** A type name used as a value or a value used as a type. */
  WrongKind: "E0224",
  /** A destructuring `let` without a value. */
  Uninitialised: "E0226",
  /** `?` on something that is not Option/Result, or in a function whose return type cannot carry it. */
  BadTry: "E0228",
  /** Malformed f-string format spec, or a spec that does not apply to the value's type. */
  BadFormatSpec: "E0280",
  /** The left side of an assignment is not a place. */
  NotAPlace: "E0281",
  /** An integer literal that does not fit the type it must take. */
  LiteralOutOfRange: "E0282",
  /** A MemoryOrdering the operation cannot use (load with Release/AcqRel, store with Acquire/AcqRel, ...). */
  AtomicBadOrdering: "E0283",
  /** `let x = ref e;` whose `e` is not a place, or whose pattern is not one plain immutable name. */
  RefBindingForm: "E0284",
  /** Moving a non-Copy element out of a container (`let w = v[i]`, `take(v[i])`, `v[i]` as a result), or out of a `ref` binding. karac E0285 E_INDEX_MOVE_NON_COPY. */
  IndexMoveNonCopy: "E0285",
  /** A `ref` binding of an element read after the container it borrows from changed (`v.push(..)`, `v.clear()`, `v[j] = x`). */
  RefUsedAfterSourceChanged: "E0288",
  /** Moving a value whose type runs a user `Drop` out of a `shared` object (a copy would run the body twice). karac E0514. */
  SharedDropMove: "E0514",
  /** `fn main` declared with parameters. */
  MainParams: "E0287",
  /** `with_provider[R]` / `providers { R => .. }` for a resource declared without a provider trait. */
  ProviderlessResource: "E0286",
  /** The alternatives of a `|` pattern do not all bind the same names. */
  OrPatternBindings: "E0290",
  /** A slice pattern on a value that is not a Vec/Array/Slice, or with more than one `..`. */
  BadSlicePattern: "E0291",
  /** An `impl Trait for T` that does not define a required (body-less) method of the trait. */
  MissingTraitMethod: "E0292",
  /** A method in an `impl Trait for T` block that the trait does not declare. */
  NotTraitMethod: "E0293",
  /** An impl method whose receiver, parameters or return type differ from the trait's declaration. */
  TraitMethodSignature: "E0294",
  /** A type of infinite size: a generic struct/enum whose fields need ever larger instances of itself
   * (`struct S[T] { v: S[S[T]] }`), or plain structs/enums that hold themselves by value. */
  InfiniteType: "E0295",
  /** Expressions nested too deeply for the checker's recursion (method-call or `else if` chains thousands long). */
  TooDeep: "E0296",
  /** `kara run` / `kara build` of a program without `fn main()` (`kara check` accepts a library file). */
  NoMain: "E0297",
  /** A value that is not Display is printed or interpolated. */
  NotDisplay: "E0298",
  /** `break`/`continue` outside a loop or to an unknown label, `return` out of a `defer` body. */
  BadBreak: "E0299",
} as const;

export type Code = (typeof Codes)[keyof typeof Codes];
