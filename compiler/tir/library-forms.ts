// Library methods that have no operation of their own: the checker builds them from other
// operations and loops (each names the module that does). docs/library.md lists them after the
// registry's tables, so the reference page shows the whole library surface.

export interface ComposedForm {
  /** The source form, one line. */
  readonly sig: string;
  /** What it does, one short sentence. */
  readonly doc: string;
  /** The checker module that builds it. */
  readonly builtBy: string;
}

export const COMPOSED_FORMS: readonly ComposedForm[] = [
  { sig: "for x in v.iter_mut() { .. }", doc: "Each element of a Vec, array or `mut Slice` in turn as a `mut ref`; the loop writes v.", builtBy: "check/iter-mut.ts" },
  { sig: "for (i, x) in v.iter_mut().enumerate() { .. }", doc: "The same with each element's index.", builtBy: "check/iter-mut.ts" },
  { sig: "let it = v.iter_mut(); for x in it { .. }", doc: "A stored iter_mut iterator (or `.enumerate()` of one) whose one use is a loop's head: that loop over v.iter_mut(). Any other use is E0223; v may not be used until the loop ends (E_CROSS_BORROW_CONFLICT).", builtBy: "check/iter-mut.ts" },
  { sig: "s.split_at(mid: i64) -> (Slice[T], Slice[T])", doc: "The views s[..mid] and s[mid..] of a Vec, array or slice; a mid beyond the length panics.", builtBy: "check/builtin-methods/split-at.ts" },
  { sig: "s.split_at_mut(mid: i64) -> (mut Slice[T], mut Slice[T])", doc: "The same two views, writable, of a mutable Vec or array or a `mut Slice`; writing either writes s.", builtBy: "check/builtin-methods/split-at.ts" },
  { sig: "v.iter_mut().for_each(|x| { .. }) / v.iter_mut().enumerate().for_each(|(i, x)| { .. })", doc: "The loop `for x in v.iter_mut()` with the closure's body; the closure takes no `return`, and iter_mut() cannot be stored.", builtBy: "check/builtin-methods/iter-mut-each.ts" },
  { sig: "let c = m.entry(k).or_insert(d); *c += 1", doc: "A binding of the value slot or_insert / or_insert_with / or_default yields: each later `c` reads or writes the map's value of k (k evaluated once); m may not be used until c's last use (E_CROSS_BORROW_CONFLICT).", builtBy: "check/expr/entry-bindings.ts" },
  { sig: "m.entry(k).and_modify(|v| { .. }) [.or_insert(d) / .or_insert_with(f) / .or_default()]", doc: "Runs the closure on the value of k (a `mut ref`) when k is present; the default then fills a missing key and the chain yields the value. The closure may not use the map.", builtBy: "check/builtin-methods/entry-modify.ts" },
  { sig: "unsafe { v.get_unchecked(i: i64) } -> T", doc: "Element i of a Vec or slice, copied out, only inside an `unsafe` block (E0259 elsewhere); karac skips the bounds check, here an index out of range panics like v[i].", builtBy: "check/builtin-methods/vec-more.ts" },
  { sig: "v.as_ptr() / v.as_mut_ptr() / s.to_cstring()", doc: "karac's raw-pointer and C-string producers for C code: E0223 here, as programs run in a WebAssembly sandbox with no raw pointers or C calls.", builtBy: "check/builtin-methods/raw-pointers.ts" },
  { sig: "s.sorted() -> String", doc: "The characters of s in ascending order, as a new String.", builtBy: "check/builtin-methods/string-sorted.ts" },
  { sig: "s.sorted_by(f: Fn(char, char) -> Ordering) -> String", doc: "The characters of s in the order f gives (stable), as a new String.", builtBy: "check/builtin-methods/string-sorted.ts" },
  { sig: "it.scan(init: A, f: Fn(A, T) -> Option[(A, U)]) -> Iterator[U]", doc: "Threads a state through the items; f's None ends the iteration.", builtBy: "check/pipeline.ts" },
  { sig: "it.windows(n: i64) / it.chunks(n: i64) -> Iterator[Vec[T]]", doc: "After a pipeline step: the runs of the items so far (n <= 0 panics).", builtBy: "check/pipeline.ts" },
  { sig: "s.split(sep).map(f) / s.lines().count() / s.split_whitespace().collect()", doc: "A String's pieces start a pipeline when an adaptor or a terminal follows.", builtBy: "check/pipeline.ts" },
  { sig: "it.chunk_by(key: Fn(T) -> K) -> Iterator[Vec[T]]", doc: "The runs of consecutive items whose keys are equal (K: Eq).", builtBy: "check/chunk-by.ts" },
  { sig: "<pipeline>.next() -> Option[T]", doc: "On a pipeline made in place (`s.chars().next()`): its first item.", builtBy: "check/pipeline.ts" },
  { sig: "it.len() -> i64", doc: "On an iterator: the number of items left, like count().", builtBy: "check/expr/methods.ts" },
  { sig: "r: Range[T] / RangeInclusive[T]", doc: "A range value (`let r = 0..n;`): iterated, passed, stored and adapted like the literal.", builtBy: "check/pipeline.ts" },
  { sig: "println(r) / f\"{r}\" / r.to_string()", doc: "A range value prints as its bounds around the operator: 0..5, 1..=3.", builtBy: "check/builtin-methods/range-display.ts" },
  { sig: "collect_all(a, b, ..) -> (Result[A, E1], Result[B, E2], ..)", doc: "Runs 2 to 8 thunks (`|| e`, a Fn value, or a bare expression taken as `|| e`) as the branches of a `par`; every branch runs to the end, an Err is just its result, a panic cancels the rest.", builtBy: "check/expr/collect-all.ts" },
  { sig: "collect_all_vec(v: Vec[Fn() -> Result[T, E]]) -> Vec[Result[T, E]]", doc: "Spawns each closure of v on a TaskGroup and joins them all; the results come back in v's order.", builtBy: "check/expr/collect-all.ts" },
];
