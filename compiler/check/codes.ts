// Diagnostic codes of the resolve and type phases. karac's numbers where the notes name them
// (E0100, E0253, E0257, E0258, E0270, E0272); our own E02xx/E03xx otherwise.

export const Codes = {
  /** Undefined name (value, type, function, field path root, effect resource), or a read of a sibling `par` branch's binding. karac E0100. */
  Undefined: "E0100",
  /** An item, field, variant or parameter is defined twice. */
  Duplicate: "E0101",
  /** `impl Add for T` and other operator traits: only PartialEq, Eq, PartialOrd, Ord, Display may be implemented. */
  OperatorImpl: "E0103",
  /** A program without `fn main()`, or `main` with parameters. */
  NoMain: "E0102",

  /** Mismatched types: "expected T, found U". */
  Mismatch: "E0201",
  /** Binary operator with different operand types: "cannot mix integer types i32 and i64". */
  MixedTypes: "E0202",
  /** An integer literal that does not fit the type it must take. */
  LiteralOutOfRange: "E0203",
  /** Assignment to an immutable binding (or immutable field of a shared struct). */
  AssignImmutable: "E0204",
  /** Mutating method / `mut` argument on an immutable binding. */
  BorrowImmutable: "E0205",
  /** `mut ref` parameter passed a plain local without the `mut` marker, or `mut` on a non-`mut ref` parameter. */
  MutMarker: "E0206",
  /** Wrong number of arguments. */
  ArgCount: "E0207",
  /** No such field on a struct / tuple. */
  NoField: "E0208",
  /** Struct literal misses fields. */
  MissingFields: "E0209",
  /** No such method or associated function. */
  NoMethod: "E0210",
  /** Calling something that is not a function. */
  NotCallable: "E0211",
  /** `as` between types that do not convert (F3.4). */
  InvalidCast: "E0212",
  /** print/println/eprintln with more than one argument. */
  PrintArity: "E0213",
  /** A value that is not Display is printed or interpolated. */
  NotDisplay: "E0214",
  /** `break`/`continue` outside a loop or to an unknown label. */
  BadBreak: "E0216",
  /** The type of a binding or expression cannot be inferred: annotate it. */
  NeedsAnnotation: "E0217",
  /** Operator applied to unsupported operand types. */
  BadOperand: "E0218",
  /** Malformed f-string format spec, or a spec that does not apply to the value's type. */
  BadFormatSpec: "E0219",
  /** Indexing something that is not indexable, or a non-i64 index. */
  BadIndex: "E0220",
  /** The left side of an assignment is not a place. */
  NotAPlace: "E0222",
  /** A construct this compiler does not support yet. */
  Unsupported: "E0223",
  /** A type name used as a value or a value used as a type. */
  WrongKind: "E0224",
  /** Comparison operators do not chain / non-comparable operands. */
  NotComparable: "E0225",
  /** A `match` that does not cover every value of its scrutinee. */
  NonExhaustive: "E0227",
  /** `?` on something that is not Option/Result, or in a function whose return type cannot carry it. */
  BadTry: "E0228",
  /** A generic function instantiated with a type that lacks a declared bound (Ord, Display, ...). */
  UnsatisfiedBound: "E0229",
  /** The alternatives of a `|` pattern do not all bind the same names. */
  OrPatternBindings: "E0230",
  /** A slice pattern on a value that is not a Vec/Array/Slice, or with more than one `..`. */
  BadSlicePattern: "E0231",
  /** An `impl Trait for T` that does not define a required (body-less) method of the trait. */
  MissingTraitMethod: "E0232",
  /** A method in an `impl Trait for T` block that the trait does not declare. */
  NotTraitMethod: "E0233",
  /** An impl method whose receiver, parameters or return type differ from the trait's declaration. */
  TraitMethodSignature: "E0234",
  /** A generic struct/enum whose fields need ever larger instances of itself (`struct S[T] { v: S[S[T]] }`). */
  InfiniteType: "E0235",
  /** Expressions nested too deeply for the checker's recursion (method-call or `else if` chains thousands long). */
  TooDeep: "E0236",
  /** A `let` without value and without annotation, or use before assignment. */
  Uninitialised: "E0226",

  /** TaskHandle / TaskGroup used as a return type or struct field. karac E0253. */
  ScopeLocalEscape: "E0253",
  /** A `mut` field of a `par` struct/enum that is not Atomic[T] or Mutex[T]. karac E0257. */
  ParFieldNotConcurrent: "E0257",
  /** A `par` type's method declared `mut ref self`. karac E0258. */
  ParMutSelfReceiver: "E0258",
  /** An atomic operation without its literal MemoryOrdering argument(s). karac E0270. */
  AtomicMissingOrdering: "E0270",
  /** A MemoryOrdering the operation cannot use (load with Release/AcqRel, store with Acquire/AcqRel, ...). */
  AtomicBadOrdering: "E0271",
  /** A `par` branch writes a captured `let mut` (phase "effect"). karac E0408. */
  ParCapturedWrite: "E0408",
  /** Atomic[T] where T is not an integer or bool. karac E0272. */
  AtomicInvalidInnerType: "E0272",

  /** Use of a binding after it was moved. */
  UseAfterMove: "E0301",
} as const;

export type Code = (typeof Codes)[keyof typeof Codes];
