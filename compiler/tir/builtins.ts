// The builtin registry: one descriptor per builtin operation of the typed program (TIR). The
// op names (`BuiltinOp`), the mutation facts automatic parallelisation relies on, the effect
// atoms the effect phase infers for a call, and docs/library.md all come from this table, so a
// builtin is described in exactly one place. See README.md in this folder for the recipe.

/**
 * How the receiver reaches the op.
 *  - "none": a free function, constructor or constant (`println(x)`, `Vec.new()`, `i64.MAX`).
 *  - "value": the receiver is read as a value (`v.len()`).
 *  - "ref": the receiver is a place the op reads in place or updates through a shared cell
 *    (`a.fetch_add(..)`, `m[k]`, `group.spawn(..)`); the binding itself is not written.
 *  - "mut": the receiver is a place the op modifies (`v.push(x)`): the binding is written.
 * Arguments are always values in the typed program, so a builtin can modify only its receiver.
 */
export type ReceiverMode = "none" | "value" | "ref" | "mut";

/**
 * Effect atoms a call to the op infers by itself, following karac's table of leaf effects:
 * `panics`, `allocates(Heap)` and `suspends`. Output is not an effect (println infers nothing),
 * and an op that only traps on a bad index or overflow is not listed as panicking.
 */
export type LeafEffect = "panics" | "allocates" | "suspends";

/**
 * What the op means to the task and ordering analyses.
 *  - "atomic-update": updates the shared cell its receiver names; two on one cell keep their order.
 *  - "channel": a channel operation; it keeps its statement out of automatic parallel groups.
 *  - "spawn": runs the lifted closure in args[0] as a task.
 *  - "join": waits for a task; what the task does is unknown at the join.
 *  - "cancel-point": a free call that observes cooperative cancellation (karac's boundary calls).
 *  - "output": writes to standard output or standard error.
 */
export type BuiltinRole = "atomic-update" | "channel" | "spawn" | "join" | "cancel-point" | "output";

export interface BuiltinDescriptor {
  readonly receiver: ReceiverMode;
  readonly effects?: readonly LeafEffect[];
  readonly roles?: readonly BuiltinRole[];
  /** The source form, one line, for docs/library.md. */
  readonly sig: string;
  /** What it does, one short sentence. */
  readonly doc: string;
}

type Extra = Pick<BuiltinDescriptor, "effects" | "roles">;
const d = (receiver: ReceiverMode) => (sig: string, doc: string, extra: Extra = {}): BuiltinDescriptor => ({ receiver, sig, doc, ...extra });
const free = d("none");
const val = d("value");
const ref = d("ref");
const mut = d("mut");
const ALLOC: Extra = { effects: ["allocates"] };
const PANIC: Extra = { effects: ["panics"] };
const UPDATE: Extra = { roles: ["atomic-update"] };

/** Every builtin op. The checker produces these names; codegen lowers each one (lower/builtins.ts). */
export const BUILTINS = {
  // ---------------------------------------------------------------- prelude functions
  "print": free("print(x?: Display)", "Writes x to standard output, without a newline.", { roles: ["output", "cancel-point"] }),
  "println": free("println(x?: Display)", "Writes x and a newline to standard output.", { roles: ["output", "cancel-point"] }),
  "eprintln": free("eprintln(x?: Display)", "Writes x and a newline to standard error.", { roles: ["output", "cancel-point"] }),
  "dbg": free("dbg(x: T) -> T", "Writes `[file:line] <x's source text> = <x in Debug form>` to standard error (`[task:N file:line] …` inside a `par` branch or spawned task N) and gives back x (a copy when x names a place).", { roles: ["output"] }),
  "to_string": val("x.to_string() -> String", "Renders a Display value as a new String."),
  "panic": free("panic(msg?: String) -> never", "Stops the program with msg.", PANIC),
  "todo": free("todo(msg?: String) -> never", "Panics with \"not yet implemented\".", PANIC),
  "unreachable": free("unreachable() -> never", "Panics with \"entered unreachable code\".", PANIC),
  "assert": free("assert(cond: bool, msg?: String)", "Panics when cond is false.", PANIC),
  "assert_eq": free("assert_eq(a: T, b: T)", "Panics when a != b.", PANIC),
  "assert_ne": free("assert_ne(a: T, b: T)", "Panics when a == b.", PANIC),
  "min": free("min(a: T, b: T) -> T", "The smaller of two values of an ordered type."),
  "max": free("max(a: T, b: T) -> T", "The larger of two values of an ordered type."),
  "clamp": free("clamp(x: T, lo: T, hi: T) -> T", "x limited to lo..=hi."),
  "cmp": val("a.cmp(b: T) -> Ordering", "Three-way comparison of two values of an ordered type."),
  "ref_eq": free("ref_eq(a: T, b: T) -> bool", "Whether two values of a shared or par type are the same object (identity, not ==)."),

  // ---------------------------------------------------------------- Vec, Array, Slice
  "vec.new": free("Vec.new() -> Vec[T]", "An empty vector.", ALLOC),
  "vec.with_capacity": free("Vec.with_capacity(n: i64) -> Vec[T]", "An empty vector with room for n elements.", ALLOC),
  "vec.filled": free("Vec.filled(n: i64, x: T) -> Vec[T]", "n independent copies of x.", ALLOC),
  "vec.push": mut("v.push(x: T)", "Appends x.", ALLOC),
  "vec.pop": mut("v.pop() -> Option[T]", "Removes and returns the last element."),
  "vec.len": val("v.len() -> i64", "Number of elements."),
  "vec.is_empty": val("v.is_empty() -> bool", "Whether there are no elements (Vec, array or slice)."),
  "vec.get": val("v.get(i: i64) -> Option[T]", "The element at i, if in range."),
  "vec.first": val("v.first() -> Option[T]", "The first element (Vec, array or slice)."),
  "vec.last": val("v.last() -> Option[T]", "The last element (Vec, array or slice)."),
  "vec.contains": val("v.contains(x: T) -> bool", "Whether some element equals x (Vec or slice)."),
  "vec.insert": mut("v.insert(i: i64, x: T)", "Inserts x at i, shifting the rest right.", ALLOC),
  "vec.remove": mut("v.remove(i: i64) -> T", "Removes the element at i, shifting the rest left."),
  "vec.clear": mut("v.clear()", "Removes every element."),
  "vec.truncate": mut("v.truncate(n: i64)", "Keeps the first n elements."),
  "vec.reverse": mut("v.reverse()", "Reverses the elements in place (also `mut Slice`)."),
  "vec.sort": mut("v.sort()", "Sorts an Ord element type in place, stably (also `mut Slice`).", ALLOC),
  "vec.swap": mut("v.swap(i: i64, j: i64)", "Exchanges two elements (also `mut Slice`)."),
  "vec.join": val("v.join(sep: String) -> String", "Joins a Vec[String] with sep between elements."),
  "vec.extend": mut("v.extend(other: Vec[T]) / v.extend_from_slice(s: Slice[T])", "Appends the elements of other, consuming it (extend_from_slice appends copies of a Vec's, array's or slice's elements).", ALLOC),
  "vec.clone": val("v.clone() / v.to_vec() -> Vec[T]", "A deep copy.", ALLOC),
  "vec.eq": val("a == b (Vec[T])", "Element-wise equality; reserved for codegen, not produced by the checker."),
  "vec.sort_by": mut("v.sort_by(f: Fn(T, T) -> Ordering)", "Sorts in place by a comparison function, stably."),
  "vec.sort_by_key": mut("v.sort_by_key(f: Fn(T) -> K)", "Sorts in place by an ordered key, stably."),
  "vec.binary_search": val("v.binary_search(x: T) -> Option[i64]", "Some(index) of x in a sorted vector, or None (karac's form)."),
  "vec.dedup": mut("v.dedup()", "Removes consecutive equal elements."),
  "vec.retain": mut("v.retain(f: Fn(T) -> bool)", "Keeps the elements for which f is true."),
  "vec.fill": mut("v.fill(x: T)", "Sets every element to a copy of x."),
  "vec.swap_remove": mut("v.swap_remove(i: i64) -> T", "Removes the element at i, moving the last element into its place."),
  "vec.sorted": val("v.sorted() -> Vec[T]", "A sorted copy."),
  "vec.is_sorted": val("v.is_sorted() -> bool", "Whether the elements are in non-decreasing order."),
  "vec.windows_view": val("v.windows(n: i64) -> Vec[Slice[T]]", "Views of every run of n consecutive elements, over the storage of a Vec, array or slice that lives in a variable (n <= 0 panics); v may not change while they are used."),
  "vec.chunks_view": val("v.chunks(n: i64) -> Vec[Slice[T]]", "Views of consecutive runs of n elements, the last possibly shorter, over v's storage as for windows (n <= 0 panics)."),
  "vec.windows": val("<temporary>.windows(n: i64) -> Vec[Vec[T]]", "On a temporary Vec or array (nothing to view once it is freed): copies of every run of n consecutive elements (n <= 0 panics)."),
  "vec.chunks": val("<temporary>.chunks(n: i64) -> Vec[Vec[T]]", "On a temporary Vec or array: copies of consecutive runs of n elements, the last possibly shorter (n <= 0 panics)."),
  "vec.sorted_by": val("v.sorted_by(f: Fn(T, T) -> Ordering) -> Vec[T]", "A copy sorted by a comparison function, stably."),
  "vec.sorted_by_key": val("v.sorted_by_key(f: Fn(T) -> K) -> Vec[T]", "A copy sorted by an ordered key, stably."),
  "vec.split_off": mut("v.split_off(at: i64) -> Vec[T]", "Moves the elements from at on into a new Vec, keeping the first at (at > len panics).", ALLOC),
  "array.len": val("a.len() -> i64", "Number of elements of an array."),
  "array.get": val("a.get(i: i64) -> Option[T]", "The array element at i, if in range."),
  "array.contains": val("a.contains(x: T) -> bool", "Whether some array element equals x."),
  "slice.len": val("s.len() -> i64", "Number of elements of a slice."),
  "slice.get": val("s.get(i: i64) -> Option[T]", "The slice element at i, if in range."),

  // ---------------------------------------------------------------- String
  "string.new": free("String.new() / String.with_capacity(n: i64) -> String", "An empty string.", ALLOC),
  "string.from": free("String.from(s: String) -> String", "A copy of s.", ALLOC),
  "string.len": val("s.len() -> i64", "Length in bytes (UTF-8)."),
  "string.is_empty": val("s.is_empty() -> bool", "Whether the string has no bytes."),
  "string.push": mut("s.push(c: char)", "Appends a character.", ALLOC),
  "string.push_str": mut("s.push_str(t: String)", "Appends a string.", ALLOC),
  "string.concat": val("a + b (String)", "Concatenation into a new String; reserved for codegen, not produced by the checker."),
  "string.contains": val("s.contains(t: String) -> bool", "Whether t occurs in s."),
  "string.starts_with": val("s.starts_with(t: String) -> bool", "Whether s begins with t."),
  "string.ends_with": val("s.ends_with(t: String) -> bool", "Whether s ends with t."),
  "string.char_count": val("s.char_count() -> i64", "Number of characters (code points)."),
  "string.clone": val("s.clone() -> String", "A copy.", ALLOC),
  "string.trim": val("s.trim() -> String", "s without leading and trailing whitespace."),
  "string.trim_start": val("s.trim_start() -> String", "s without leading whitespace."),
  "string.trim_end": val("s.trim_end() -> String", "s without trailing whitespace."),
  "string.to_uppercase": val("s.to_uppercase() -> String", "Upper-case copy."),
  "string.to_lowercase": val("s.to_lowercase() -> String", "Lower-case copy."),
  "string.repeat": val("s.repeat(n: i64) -> String", "s written n times."),
  "string.split": val("s.split(sep: String | char) -> Vec[String]", "The pieces between occurrences of sep."),
  "string.lines": val("s.lines() -> Vec[String]", "The lines, without their line endings."),
  "string.split_whitespace": val("s.split_whitespace() -> Vec[String]", "The non-empty pieces between runs of whitespace."),
  "string.replace": val("s.replace(from: String, to: String) -> String", "Every occurrence of from replaced by to."),
  "string.replacen": val("s.replacen(from: String, to: String, n: i64) -> String", "The first n occurrences of from replaced by to."),
  "string.find": val("s.find(pat: String | char) -> Option[i64]", "Byte offset of the first occurrence of pat."),
  "string.char_at": val("s.char_at(i: i64) -> Option[char]", "The i-th character (counted from the front, O(n)); None past the end."),
  "string.substring": val("s.substring(a: i64, b?: i64) -> String", "The bytes a..b (a.. without b) as a new String; bounds saturate and a bound inside a character panics, as for slice.", ALLOC),
  "string.slice": val("s.slice(a: i64, b: i64) -> String", "The bytes a..b as a new String; out-of-range bounds saturate (a start outside 0..=len gives \"\"), a bound inside a character panics.", ALLOC),
  "string.strip_prefix": val("s.strip_prefix(p: String) -> Option[String]", "s without the prefix p, if it starts with p."),
  "string.strip_suffix": val("s.strip_suffix(p: String) -> Option[String]", "s without the suffix p, if it ends with p."),
  "string.cmp": val("s.cmp(t: String) -> Ordering", "Lexicographic comparison by bytes."),
  "string.bytes": val("s.bytes() -> Vec[u8]", "A copy of the UTF-8 bytes."),
  "string.from_utf8": free("String.from_utf8(bytes: Vec[u8] | Slice[u8]) -> Result[String, Utf8Error]", "A String of the bytes if they are valid UTF-8; Err(InvalidByte) or Err(IncompleteSequence) otherwise.", ALLOC),
  "string.rfind": val("s.rfind(pat: String | char) -> Option[i64]", "Byte offset of the last occurrence of pat."),
  "string.split_once": val("s.split_once(sep: String | char) -> Option[(String, String)]", "The parts before and after the first occurrence of sep."),
  "string.rsplit_once": val("s.rsplit_once(sep: String | char) -> Option[(String, String)]", "The parts before and after the last occurrence of sep."),
  "string.to_ascii_uppercase": val("s.to_ascii_uppercase() -> String", "Copy with a-z mapped to A-Z; other characters unchanged."),
  "string.to_ascii_lowercase": val("s.to_ascii_lowercase() -> String", "Copy with A-Z mapped to a-z; other characters unchanged."),

  // ---------------------------------------------------------------- char
  "char.is_digit": val("c.is_digit(radix: u32) -> bool", "Whether c is a digit in the radix."),
  "char.to_digit": val("c.to_digit(radix: u32) -> Option[u32]", "The digit's value in the radix."),
  "char.is_alphabetic": val("c.is_alphabetic() -> bool", "Whether c is alphabetic."),
  "char.is_whitespace": val("c.is_whitespace() -> bool", "Whether c is whitespace."),
  "char.is_alphanumeric": val("c.is_alphanumeric() -> bool", "Whether c is alphabetic or numeric."),
  "char.is_numeric": val("c.is_numeric() -> bool", "Whether c is numeric."),
  "char.is_uppercase": val("c.is_uppercase() -> bool", "Whether c is upper-case."),
  "char.is_lowercase": val("c.is_lowercase() -> bool", "Whether c is lower-case."),
  "char.is_ascii": val("c.is_ascii() -> bool", "Whether c is in the ASCII range."),
  "char.is_ascii_digit": val("c.is_ascii_digit() -> bool", "Whether c is 0-9."),
  "char.is_ascii_alphabetic": val("c.is_ascii_alphabetic() -> bool", "Whether c is A-Z or a-z."),
  "char.to_ascii_uppercase": val("c.to_ascii_uppercase() -> char", "ASCII upper-case of c; other characters unchanged."),
  "char.to_ascii_lowercase": val("c.to_ascii_lowercase() -> char", "ASCII lower-case of c; other characters unchanged."),
  "char.to_uppercase": val("c.to_uppercase() -> char", "Upper-case of c."),
  "char.to_lowercase": val("c.to_lowercase() -> char", "Lower-case of c."),
  "char.try_from": free("char.try_from(n: N) -> Result[char, N]", "The character with code point n, if valid."),

  // ---------------------------------------------------------------- integers (T is the integer type)
  "int.abs": val("x.abs() -> T", "Absolute value of a signed integer (overflow on MIN panics)."),
  "int.pow": val("x.pow(n: u32) -> T", "x to the power n, checked."),
  "int.min": val("x.min(y: T) -> T", "The smaller of x and y."),
  "int.max": val("x.max(y: T) -> T", "The larger of x and y."),
  "int.wrapping_add": val("x.wrapping_add(y: T) -> T", "Sum modulo the type's range."),
  "int.wrapping_sub": val("x.wrapping_sub(y: T) -> T", "Difference modulo the type's range."),
  "int.wrapping_mul": val("x.wrapping_mul(y: T) -> T", "Product modulo the type's range."),
  "int.checked_add": val("x.checked_add(y: T) -> Option[T]", "Sum, or None on overflow."),
  "int.checked_sub": val("x.checked_sub(y: T) -> Option[T]", "Difference, or None on overflow."),
  "int.checked_mul": val("x.checked_mul(y: T) -> Option[T]", "Product, or None on overflow."),
  "int.saturating_add": val("x.saturating_add(y: T) -> T", "Sum, clamped to the type's range."),
  "int.saturating_sub": val("x.saturating_sub(y: T) -> T", "Difference, clamped to the type's range."),
  "int.saturating_mul": val("x.saturating_mul(y: T) -> T", "Product, clamped to the type's range."),
  "int.rem_euclid": val("x.rem_euclid(y: T) -> T", "Non-negative remainder of x / y."),
  "int.div_euclid": val("x.div_euclid(y: T) -> T", "Quotient rounded so that the remainder is non-negative."),
  "int.signum": val("x.signum() -> T", "-1, 0 or 1 by the sign of x."),
  "int.parse": val("T.parse(s: String) / s.parse() -> Option[T]", "The integer written in s, if it is one."),
  "int.MIN": free("T.MIN", "Smallest value of the integer type."),
  "int.MAX": free("T.MAX", "Largest value of the integer type."),

  // ---------------------------------------------------------------- floats (T is f64 or f32)
  "float.sqrt": val("x.sqrt() -> T", "Square root."),
  "float.abs": val("x.abs() -> T", "Absolute value."),
  "float.floor": val("x.floor() -> T", "Largest integral value <= x."),
  "float.ceil": val("x.ceil() -> T", "Smallest integral value >= x."),
  "float.round": val("x.round() -> T", "Nearest integral value, halves away from zero."),
  "float.trunc": val("x.trunc() -> T", "Integral part of x."),
  "float.min": val("x.min(y: T) -> T", "The smaller of x and y."),
  "float.max": val("x.max(y: T) -> T", "The larger of x and y."),
  "float.pow": val("x.pow(y: T) -> T", "x to the power y."),
  "float.powi": val("x.powi(n: i32) -> T", "x to the integer power n."),
  "float.parse": val("T.parse(s: String) / s.parse() -> Option[T]", "The number written in s, if it is one."),
  "float.NAN": free("T.NAN", "Not a number."),
  "float.INFINITY": free("T.INFINITY", "Positive infinity."),
  "float.EPSILON": free("T.EPSILON", "Difference between 1.0 and the next larger value."),

  // ---------------------------------------------------------------- numbers: bits, conversions, math
  "int.abs_diff": val("x.abs_diff(y: T) -> uT", "|x - y| in the unsigned type of T's width; never overflows."),
  "int.count_ones": val("x.count_ones() -> u32", "Number of one bits (within T's width)."),
  "int.count_zeros": val("x.count_zeros() -> u32", "Number of zero bits (within T's width)."),
  "int.leading_zeros": val("x.leading_zeros() -> u32", "Number of zero bits above the highest one bit."),
  "int.trailing_zeros": val("x.trailing_zeros() -> u32", "Number of zero bits below the lowest one bit."),
  "int.is_power_of_two": val("x.is_power_of_two() -> bool", "Whether an unsigned x has exactly one bit set."),
  "int.next_power_of_two": val("x.next_power_of_two() -> T", "Smallest power of two >= an unsigned x; panics \"integer overflow\" past T.MAX.", PANIC),
  "int.reverse_bits": val("x.reverse_bits() -> T", "The bits of x in reverse order."),
  "int.swap_bytes": val("x.swap_bytes() -> T", "The bytes of x in reverse order."),
  "int.rotate_left": val("x.rotate_left(n: u32) -> T", "x rotated left by n mod T's width."),
  "int.rotate_right": val("x.rotate_right(n: u32) -> T", "x rotated right by n mod T's width."),
  "int.to_float": val("x.to_f64() / x.to_f32() -> F", "The nearest float to x."),
  "int.is_ascii_digit": val("b.is_ascii_digit() -> bool", "Whether the integer (a byte) is '0'..='9'."),
  "int.is_ascii_alphabetic": val("b.is_ascii_alphabetic() -> bool", "Whether the integer (a byte) is an ASCII letter."),
  "int.is_ascii_hexdigit": val("b.is_ascii_hexdigit() -> bool", "Whether the integer (a byte) is an ASCII hex digit."),
  "int.clamp": val("x.clamp(lo: T, hi: T) -> T", "lo if x < lo, else hi if x > hi, else x."),
  "int.checked_div": val("x.checked_div(y: T) -> Option[T]", "Quotient, or None on a zero divisor or overflow."),
  "int.checked_rem": val("x.checked_rem(y: T) -> Option[T]", "Remainder, or None on a zero divisor or overflow."),
  "int.checked_neg": val("x.checked_neg() -> Option[T]", "Negation, or None on overflow."),
  "int.wrapping_neg": val("x.wrapping_neg() -> T", "Negation modulo the type's range."),
  "int.checked_pow": val("x.checked_pow(n: u32) -> Option[T]", "x to the power n, or None on overflow."),
  "int.wrapping_pow": val("x.wrapping_pow(n: u32) -> T", "x to the power n modulo the type's range."),
  "int.saturating_pow": val("x.saturating_pow(n: u32) -> T", "x to the power n, clamped to the type's range."),
  "int.bits_as_float": val("x.bits_as_f64() / x.bits_as_f32() -> F", "The float whose IEEE bit pattern is x's low bits."),
  "int.checked_from": free("T.checked_from(f: f64) -> Option[T]", "f truncated toward zero, or None for NaN or out of range."),
  "int.try_from": free("T.try_from(n: N) -> Result[T, N]", "n as the integer type T, or Err(n) when it does not fit."),
  "float.signum": val("x.signum() -> T", "1.0 or -1.0 by the sign of x (NaN for NaN)."),
  "float.recip": val("x.recip() -> T", "1 / x."),
  "float.to_degrees": val("x.to_degrees() -> T", "Radians to degrees."),
  "float.to_radians": val("x.to_radians() -> T", "Degrees to radians."),
  "float.fract": val("x.fract() -> T", "x - x.trunc()."),
  "float.sin": val("x.sin() -> T", "Sine (radians)."),
  "float.cos": val("x.cos() -> T", "Cosine (radians)."),
  "float.tan": val("x.tan() -> T", "Tangent (radians)."),
  "float.exp": val("x.exp() -> T", "e to the power x."),
  "float.ln": val("x.ln() -> T", "Natural logarithm."),
  "float.log2": val("x.log2() -> T", "Base-2 logarithm."),
  "float.atan2": val("y.atan2(x: T) -> T", "Angle of the point (x, y) from the positive x axis, in (-pi, pi]."),
  "float.clamp": val("x.clamp(lo: T, hi: T) -> T", "lo if x < lo, else hi if x > hi, else x."),
  "float.total_cmp": val("x.total_cmp(y: T) -> Ordering", "IEEE 754 totalOrder comparison (orders NaN too)."),
  "float.to_bits": val("x.to_bits() -> u64 / x.to_bits32() -> u32", "The IEEE bit pattern (to_bits32 of the value rounded to f32)."),
  "float.saturating_to": val("x.saturating_to_I() -> I", "x truncated toward zero and clamped to I's range; NaN gives 0."),
  "float.wrapping_to": val("x.wrapping_to_I() -> I", "x truncated toward zero, modulo I's range; NaN and infinities give 0."),
  "float.checked_to": val("x.checked_to_I() -> Option[I]", "x truncated toward zero, or None for NaN or out of range."),
  "float.trunc_to": val("x.trunc_to_I() -> I", "x truncated toward zero; panics for NaN or out of range.", PANIC),

  // ---------------------------------------------------------------- Ordering, ranges
  "ordering.reverse": val("o.reverse() -> Ordering", "Less and Greater exchanged."),
  "ordering.then": val("o.then(next: Ordering) -> Ordering", "o, or next when o is Equal."),
  "ordering.is_lt": val("o.is_lt() -> bool", "Whether o is Less."),
  "ordering.is_le": val("o.is_le() -> bool", "Whether o is Less or Equal."),
  "ordering.is_gt": val("o.is_gt() -> bool", "Whether o is Greater."),
  "ordering.is_ge": val("o.is_ge() -> bool", "Whether o is Greater or Equal."),
  "ordering.is_eq": val("o.is_eq() -> bool", "Whether o is Equal."),
  "ordering.is_ne": val("o.is_ne() -> bool", "Whether o is not Equal."),
  "range.sum": val("(a..b).sum() -> T", "Sum of an integer range; checked but not lowered yet."),
  // Range values (`let r = 0..n;`, `r: Range[T]`): the pair of bounds; `..=` ranges have their own ops.
  "range.contains": val("r.contains(x: T) -> bool", "Whether lo <= x < hi for r = lo..hi."),
  "range.len": val("r.len() -> i64", "Number of values in lo..hi (0 when hi <= lo)."),
  "range.is_empty": val("r.is_empty() -> bool", "Whether lo..hi holds no value (hi <= lo)."),
  "range_inclusive.contains": val("r.contains(x: T) -> bool", "Whether lo <= x <= hi for r = lo..=hi."),
  "range_inclusive.len": val("r.len() -> i64", "Number of values in lo..=hi (0 when hi < lo)."),
  "range_inclusive.is_empty": val("r.is_empty() -> bool", "Whether lo..=hi holds no value (hi < lo)."),

  // ---------------------------------------------------------------- Option, Result
  "option.is_some": val("o.is_some() -> bool", "Whether o holds a value."),
  "option.is_none": val("o.is_none() -> bool", "Whether o is None."),
  "option.unwrap": val("o.unwrap() -> T", "The value; panics on None.", PANIC),
  "option.expect": val("o.expect(msg: String) -> T", "The value; panics with msg on None.", PANIC),
  "option.unwrap_or": val("o.unwrap_or(d: T) -> T", "The value, or d on None."),
  "result.is_ok": val("r.is_ok() -> bool", "Whether r is Ok."),
  "result.is_err": val("r.is_err() -> bool", "Whether r is Err."),
  "result.unwrap": val("r.unwrap() -> T", "The Ok value; panics on Err.", PANIC),
  "result.expect": val("r.expect(msg: String) -> T", "The Ok value; panics with msg on Err.", PANIC),
  "result.unwrap_or": val("r.unwrap_or(d: T) -> T", "The Ok value, or d on Err."),
  "result.unwrap_err": val("r.unwrap_err() -> E", "The Err value; panics on Ok.", PANIC),

  // ---------------------------------------------------------------- Atomic, Mutex
  "atomic.new": free("Atomic.new(x: T) -> Atomic[T]", "A shared cell holding an integer or bool."),
  "atomic.load": ref("a.load(ord: MemoryOrdering) -> T", "Reads the cell."),
  "atomic.store": ref("a.store(x: T, ord: MemoryOrdering)", "Writes the cell.", UPDATE),
  "atomic.fetch_add": ref("a.fetch_add(x: T, ord: MemoryOrdering) -> T", "Adds x (wrapping); returns the old value.", UPDATE),
  "atomic.fetch_sub": ref("a.fetch_sub(x: T, ord: MemoryOrdering) -> T", "Subtracts x (wrapping); returns the old value.", UPDATE),
  "atomic.fetch_and": ref("a.fetch_and(x: T, ord: MemoryOrdering) -> T", "Bitwise and with x; returns the old value.", UPDATE),
  "atomic.fetch_or": ref("a.fetch_or(x: T, ord: MemoryOrdering) -> T", "Bitwise or with x; returns the old value.", UPDATE),
  "atomic.fetch_xor": ref("a.fetch_xor(x: T, ord: MemoryOrdering) -> T", "Bitwise xor with x; returns the old value.", UPDATE),
  "atomic.swap": ref("a.swap(x: T, ord: MemoryOrdering) -> T", "Writes x; returns the old value.", UPDATE),
  "atomic.compare_exchange": ref(
    "a.compare_exchange(current: T, new: T, success: MemoryOrdering, failure: MemoryOrdering) -> Result[T, T]",
    "Writes new if the cell holds current: Ok(old) on success, Err(actual) otherwise.",
    UPDATE,
  ),
  "fence": free("fence(ord: MemoryOrdering) / compiler_fence(ord: MemoryOrdering)", "A memory fence (Relaxed is rejected)."),
  "mutex.new": free("Mutex.new(x: T) -> Mutex[T]", "A lock around x; `lock m { .. }` reaches the value."),
  // `weak T` handles to shared objects (docs/ownership.md); the checker inserts these at coercions and reads.
  "weak.downgrade": free("weak T from a T", "A weak handle to a shared object: it does not keep the object alive."),
  "weak.from_option": free("weak T from an Option[T]", "A weak handle to the object in Some, or an empty one for None."),
  "weak.upgrade": ref("w (a read of a weak T place) -> Option[T]", "Some(the object) while any strong handle holds it, else None."),

  // ---------------------------------------------------------------- tasks
  "spawn": free("spawn(|| body) -> TaskHandle[T]", "Runs body as a task of its own.", { roles: ["spawn", "cancel-point"] }),
  "taskgroup.new": free("TaskGroup.new() -> TaskGroup", "A group of tasks, all joined when the group goes out of scope."),
  "taskgroup.spawn": ref("g.spawn(|| body) -> TaskHandle[T]", "Runs body as a task of the group.", { roles: ["spawn"] }),
  "taskgroup.cancel": ref("g.cancel()", "Asks every task of the group to stop at its next cancellation point."),
  "taskhandle.join": val("h.join() -> T", "Waits for the task and returns its result.", { roles: ["join"] }),

  // ---------------------------------------------------------------- Map[K, V]
  "map.new": free("Map.new() -> Map[K, V]", "An empty hash map.", ALLOC),
  "map.insert": mut("m.insert(k: K, v: V) -> Option[V]  (also m[k] = v)", "Sets the value for k; returns the previous one.", ALLOC),
  "map.get": val("m.get(k: K) -> Option[V]", "The value for k, if present."),
  "map.get_or": val("m.get_or(k: K, d: V) -> V", "The value for k, or d."),
  "map.contains_key": val("m.contains_key(k: K) -> bool", "Whether k has a value."),
  "map.remove": mut("m.remove(k: K) -> Option[V]", "Removes k; returns its value."),
  "map.len": val("m.len() -> i64", "Number of entries."),
  "map.is_empty": val("m.is_empty() -> bool", "Whether there are no entries."),
  "map.clear": mut("m.clear()", "Removes every entry."),
  "map.keys": val("m.keys() -> Vec[K]", "A snapshot of the keys (unspecified order; key order for SortedMap).", ALLOC),
  "map.values": val("m.values() -> Vec[V]", "A snapshot of the values (unspecified order; key order for SortedMap).", ALLOC),
  "map.entries": val("m.entries() -> Vec[(K, V)]", "A snapshot of the entries (unspecified order; key order for SortedMap); `for (k, v) in m` iterates it.", ALLOC),
  "map.index": ref("m[k] -> V", "The value for k; panics \"Map index: key not present\".", PANIC),
  // `m.entry(k).and_modify(f)` (check/builtin-methods/entry-modify.ts) updates the value in place:
  // taken out of its slot, changed by the closure's body, put back; both ops write the map.
  "map.take_value": mut("m.entry(k).and_modify(..): the value taken out", "Moves the value of a present key out of its slot until put_value; produced by the checker only."),
  "map.put_value": mut("m.entry(k).and_modify(..): the value put back", "Stores the value of a present key back into the slot take_value emptied; produced by the checker only."),
  "map.merge": val("m.merge(other: Map[K, V]) -> Map[K, V]", "A new map with m's entries, then other's: a key in both takes other's value; m and other are unchanged.", ALLOC),

  // ---------------------------------------------------------------- Set[T]
  "set.new": free("Set.new() -> Set[T]", "An empty hash set.", ALLOC),
  "set.insert": mut("s.insert(x: T) -> bool", "Adds x; whether it was new.", ALLOC),
  "set.contains": val("s.contains(x: T) -> bool", "Whether x is a member."),
  "set.remove": mut("s.remove(x: T) -> bool", "Removes x; whether it was a member."),
  "set.len": val("s.len() -> i64", "Number of members."),
  "set.is_empty": val("s.is_empty() -> bool", "Whether there are no members."),
  "set.clear": mut("s.clear()", "Removes every member."),
  "set.to_vec": val("s.to_vec() -> Vec[T]", "A snapshot of the members (unspecified order; ascending for SortedSet); `for x in s` iterates it.", ALLOC),
  "set.union": val("s.union(other: Set[T]) -> Set[T]", "Members of either set."),
  "set.intersection": val("s.intersection(other: Set[T]) -> Set[T]", "Members of both sets."),
  "set.difference": val("s.difference(other: Set[T]) -> Set[T]", "Members of s not in other."),

  // ---------------------------------------------------------------- VecDeque[T], SortedMap[K, V], SortedSet[T]
  // A VecDeque shares a Vec's storage and every Vec method; a SortedMap / SortedSet shares Map /
  // Set storage and methods, and its snapshots (keys, values, entries, iteration, printing) come
  // in ascending key order.
  "deque.new": free("VecDeque.new() / VecDeque.with_capacity(n: i64) -> VecDeque[T]", "An empty double-ended queue.", ALLOC),
  "deque.from": free("VecDeque.from(v: Vec[T]) -> VecDeque[T]", "A double-ended queue holding v's elements, front first."),
  "deque.push_back": mut("d.push_back(x: T)", "Appends x at the back.", ALLOC),
  "deque.push_front": mut("d.push_front(x: T)", "Inserts x at the front (shifts the elements, as in karac).", ALLOC),
  "deque.pop_back": mut("d.pop_back() -> Option[T]", "Removes and returns the back element."),
  "deque.pop_front": mut("d.pop_front() -> Option[T]", "Removes and returns the front element."),
  "deque.front": val("d.front() -> Option[T]", "A copy of the front element."),
  "deque.back": val("d.back() -> Option[T]", "A copy of the back element."),
  "sortedmap.new": free("SortedMap.new() -> SortedMap[K, V]", "An empty map ordered by key (K: Ord).", ALLOC),
  "sortedmap.min": val("m.min() -> Option[(K, V)]", "The entry with the smallest key; None when empty (also `first`)."),
  "sortedmap.max": val("m.max() -> Option[(K, V)]", "The entry with the largest key; None when empty (also `last`)."),
  "sortedmap.floor": val("m.floor(k: K) -> Option[(K, V)]", "The entry with the largest key <= k."),
  "sortedmap.ceiling": val("m.ceiling(k: K) -> Option[(K, V)]", "The entry with the smallest key >= k."),
  "sortedmap.range": val("m.range(lo: K, hi: K) -> Vec[(K, V)]", "The entries with lo <= key <= hi, in key order.", ALLOC),
  "sortedset.new": free("SortedSet.new() -> SortedSet[T]", "An empty set ordered by value (T: Ord).", ALLOC),
  "sortedset.min": val("s.min() -> Option[T]", "The smallest member; None when empty (also `first`)."),
  "sortedset.max": val("s.max() -> Option[T]", "The largest member; None when empty (also `last`)."),
  // Iterator values (`let mut it = v.iter()`): the adaptors run when the value is made, and the
  // items wait in a Vec, last one first; `for x in it` and the pipelines take them front first.
  "iter.from_vec": free("v.iter() / s.chars() / <pipeline> as a value -> Iterator[T]", "An iterator over the items of a Vec, made by a pipeline used as a value.", ALLOC),
  "iter.next": mut("it.next() -> Option[T]", "Takes the next item; None when the iterator is exhausted."),
  "iter.peek": val("it.peek() -> Option[T]", "A copy of the next item without taking it (`peekable()` returns the same iterator)."),
  "iter.to_vec": val("it.collect() -> Vec[T]", "The items not yet taken, in order; `for x in it` iterates them.", ALLOC),
  "vec.from_slice": free("Vec.from_slice(s: Slice[T]) -> Vec[T]", "A new Vec holding copies of a slice's (or Vec's, or array's) elements.", ALLOC),

  // ---------------------------------------------------------------- channels
  "channel.new": free("Channel.new[T]() -> (Sender[T], Receiver[T])", "An unbounded channel.", { effects: ["allocates"], roles: ["channel"] }),
  "sender.send": val("tx.send(x: T)", "Sends x; never blocks.", { effects: ["allocates"], roles: ["channel"] }),
  "sender.clone": val("tx.clone() -> Sender[T]", "Another sending end of the same channel."),
  "receiver.recv": val("rx.recv() -> T", "Waits for and takes the next value.", { effects: ["suspends"], roles: ["channel"] }),
  "receiver.try_recv": val("rx.try_recv() -> Option[T]", "Takes the next value if one is waiting.", { roles: ["channel"] }),
} satisfies Record<string, BuiltinDescriptor>;

export type BuiltinOp = keyof typeof BUILTINS;

/**
 * A lookup over a builtin table. The analyses take one (defaulting to BUILTIN_REGISTRY) so a
 * test can describe an op the language does not have and watch how the facts follow from it.
 */
export class BuiltinRegistry {
  private readonly table: ReadonlyMap<string, BuiltinDescriptor>;

  constructor(entries: Readonly<Record<string, BuiltinDescriptor>>) {
    this.table = new Map(Object.entries(entries));
  }

  /** A registry with `extra` added to (or replacing entries of) this one. */
  with(extra: Readonly<Record<string, BuiltinDescriptor>>): BuiltinRegistry {
    return new BuiltinRegistry({ ...Object.fromEntries(this.table), ...extra });
  }

  get(op: string): BuiltinDescriptor | undefined {
    return this.table.get(op);
  }

  ops(): string[] {
    return [...this.table.keys()];
  }

  /** The op writes the binding its receiver names (the receiver is a place it modifies). */
  mutatesReceiver(op: string): boolean {
    return this.table.get(op)?.receiver === "mut";
  }

  effects(op: string): readonly LeafEffect[] {
    return this.table.get(op)?.effects ?? [];
  }

  hasEffect(op: string, e: LeafEffect): boolean {
    return this.effects(op).includes(e);
  }

  hasRole(op: string, role: BuiltinRole): boolean {
    return this.table.get(op)?.roles?.includes(role) ?? false;
  }

  /** The ops whose descriptor satisfies `pred`, in table order. */
  opsWhere(pred: (d: BuiltinDescriptor, op: string) => boolean): string[] {
    return [...this.table].filter(([op, d]) => pred(d, op)).map(([op]) => op);
  }
}

export const BUILTIN_REGISTRY = new BuiltinRegistry(BUILTINS);

/** Ops that modify their receiver. */
export function mutatingOps(r: BuiltinRegistry = BUILTIN_REGISTRY): ReadonlySet<string> {
  return new Set(r.opsWhere((d) => d.receiver === "mut"));
}

/** Ops with a given leaf effect (allocating, panicking, suspending). */
export function opsWithEffect(e: LeafEffect, r: BuiltinRegistry = BUILTIN_REGISTRY): ReadonlySet<string> {
  return new Set(r.opsWhere((d) => d.effects?.includes(e) ?? false));
}

/** Ops with a given role. */
export function opsWithRole(role: BuiltinRole, r: BuiltinRegistry = BUILTIN_REGISTRY): ReadonlySet<string> {
  return new Set(r.opsWhere((d) => d.roles?.includes(role) ?? false));
}
