import { describe, expect, it } from "vitest";
import { applyFixes } from "../fixes.js";
import { analyze, errors, fnEffects, pipeline, where } from "./testing.js";

describe("names in clauses: only declared effect variables are variables", () => {
  it("E0403: a bare capitalised name that no generic list declares", () => {
    const ds = errors(pipeline(`
fn run() with Bar { }
fn main() { run(); }
`));
    expect(where(ds)).toEqual(["E0403@2:15"]);
    expect(ds[0].message).toBe("undefined effect group: 'Bar'");
    expect(ds[0].notes).toEqual(["an effect variable is declared in the generic list: `[with Bar]`"]);
  });

  it("E0403 next to fixed effects, and a lowercase unknown name is an undefined group too", () => {
    const ds = errors(pipeline(`
effect resource Log;
fn run() with E reads(Log) { }
fn other() with io_stuff { }
fn main() { run(); other(); }
`));
    expect(where(ds)).toEqual(["E0403@3:15", "E0403@4:17"]);
    expect(ds[1].message).toBe("undefined effect group: 'io_stuff'");
  });

  it("E0403: a bare resource name points at the verb form", () => {
    const ds = errors(pipeline(`
effect resource Log;
fn run() with Log { }
fn main() { run(); }
`));
    expect(where(ds)).toEqual(["E0403@3:15"]);
    expect(ds[0].notes).toEqual(["'Log' is a resource: name it with a verb, e.g. reads(Log) or writes(Log)"]);
  });

  it("near miss: the same name declared after `with` in the generic list is a variable", () => {
    const a = analyze(`
effect resource Log;
fn run[with E](f: Fn() -> i64 with E) -> i64 with E reads(Log) { f() }
fn main() { println(run(|| 1)); }
`);
    expect(errors(a.result.diagnostics)).toEqual([]);
    expect(a.result.reportFor("run")).toMatchObject({ declared: ["E", "reads(Log)"], polymorphic: true });
  });

  it("a variable declared by one function is not a variable of another", () => {
    const ds = errors(pipeline(`
fn run[with E](f: Fn() -> i64 with E) -> i64 with E { f() }
fn other() -> i64 with E { 1 }
fn main() { println(run(|| 1) + other()); }
`));
    expect(where(ds)).toEqual(["E0403@3:24"]);
  });

  it("E0403 in a slot's clause (the Fn type of a parameter)", () => {
    const ds = errors(pipeline(`
fn run(f: Fn() -> i64 with Q) -> i64 { f() }
fn main() { println(run(|| 1)); }
`));
    expect(where(ds)).toEqual(["E0403@2:28"]);
    expect(ds[0].message).toBe("undefined effect group: 'Q'");
  });

  it("E0100: an undeclared resource, in a function clause and in a slot clause", () => {
    const inClause = errors(pipeline(`
fn run() with reads(Foo) { }
fn main() { run(); }
`));
    expect(where(inClause)).toEqual(["E0100@2:21"]);
    expect(inClause[0].message).toContain("undefined effect resource 'Foo'");
    const inSlot = errors(pipeline(`
fn run(f: Fn() -> i64 with reads(Foo)) -> i64 { f() }
fn main() { println(run(|| 1)); }
`));
    expect(where(inSlot)).toEqual(["E0100@2:34"]);
    expect(inSlot[0].message).toContain("undefined effect resource 'Foo'");
  });

  it("an effect variable of a generic function is reported once, not once per instance", () => {
    const ds = errors(pipeline(`
fn run[T](x: T) -> T with Missing { x }
fn main() { println(run(1)); println(run(true)); }
`));
    expect(where(ds)).toEqual(["E0403@2:27"]);
  });

  it("trait method clauses: undeclared names are reported, declared variables are not", () => {
    const ds = errors(pipeline(`
trait Visit {
    fn visit(ref self) with Eff;
    fn each[with F](ref self, f: Fn() with F) with F;
}
fn main() { }
`));
    expect(where(ds)).toEqual(["E0403@3:29"]);
  });
});

describe("E0400 under `with E` and `with _`", () => {
  const log = `
effect resource Log;
fn note() with writes(Log) { }
fn peek() -> i64 with reads(Log) { 1 }
`;

  it("a purely polymorphic pub fn that performs a concrete effect", () => {
    const src = `${log}pub fn apply[with E](f: Fn() -> i64 with E) -> i64 with E {
    note();
    f()
}
fn main() { println(apply(|| 1)); }
`;
    const ds = errors(analyze(src).result.diagnostics);
    expect(where(ds)).toEqual(["E0400@5:1"]);
    expect(ds[0].message).toBe(
      "public function 'apply' is declared `with E` (purely polymorphic) but performs writes(Log) (via call to 'note' at line 6); add it to the declaration as `with E writes(Log)` or remove the call",
    );
    const fixed = applyFixes(src, ds).source;
    expect(fixed).toContain("-> i64 with E writes(Log) {");
    expect(errors(pipeline(fixed))).toEqual([]);
  });

  it("a concrete effect outside the fixed part of `with E ...`", () => {
    const ds = errors(analyze(`${log}pub fn apply[with E](f: Fn() -> i64 with E) -> i64 with E reads(Log) {
    note();
    peek() + f()
}
fn main() { println(apply(|| 1)); }
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0400@5:1"]);
    expect(ds[0].message).toBe(
      "public function 'apply' performs writes(Log) (via call to 'note' at line 6) but it is not in the fixed part of its `with E ...` declaration; add writes(Log) to the declaration",
    );
    expect(ds[0].fixes?.[0].replacement).toBe(" writes(Log)");
  });

  it("near miss: fixed effects declared, the slot's effects belong to E", () => {
    const a = analyze(`${log}pub fn apply[with E](f: Fn() -> i64 with E) -> i64 with E reads(Log) {
    peek() + f()
}
pub fn outer[with E](f: Fn() -> i64 with E) -> i64 with E reads(Log) { apply(f) }
fn main() { println(apply(|| { note(); 1 })); println(outer(|| 2)); }
`);
    expect(errors(a.result.diagnostics)).toEqual([]);
    // the caller sees the fixed part plus what its closure binds E to
    expect(fnEffects(a, "main").inferred.map((x) => `${x.verb}(${x.resource})`)).toEqual(["reads(Log)", "writes(Log)"]);
  });

  it("`with _` is viral: a pub caller must declare it", () => {
    const ds = errors(analyze(`
pub fn any_apply(f: Fn() -> i64 with _) -> i64 with _ { f() }
pub fn caller() -> i64 { any_apply(|| 1) }
fn main() { println(caller()); }
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0400@3:1"]);
    expect(ds[0].message).toBe(
      "public function 'caller' calls a polymorphic (`with _`) function but does not declare `with _`. Add `with _` to propagate closure effects.",
    );
    expect(ds[0].fixes?.[0].replacement).toBe("with _ ");
  });

  it("`with _` is the one remedy: other missing effects of that pub fn are not reported as well", () => {
    const src = `
pub fn any_apply(f: Fn() -> i64 with _) -> i64 with _ { f() }
pub fn caller(d: i64) -> i64 { any_apply(|| 1) / d }
fn main() { println(caller(1)); }
`;
    const ds = errors(analyze(src).result.diagnostics);
    expect(where(ds)).toEqual(["E0400@3:1"]);
    expect(ds[0].message).toContain("calls a polymorphic (`with _`) function");
    const fixed = applyFixes(src, ds).source;
    expect(fixed).toContain("pub fn caller(d: i64) -> i64 with _ { any_apply(|| 1) / d }");
    expect(errors(pipeline(fixed))).toEqual([]);
  });

  it("near miss: a pub caller declaring `with _`, and a private caller", () => {
    const a = analyze(`
pub fn any_apply(f: Fn() -> i64 with _) -> i64 with _ { f() }
pub fn caller() -> i64 with _ { any_apply(|| 1) }
fn quiet() -> i64 { any_apply(|| 2) }
fn main() { println(caller() + quiet()); }
`);
    expect(errors(a.result.diagnostics)).toEqual([]);
  });
});

describe("E0404: a passed function must fit its slot", () => {
  const log = `
effect resource Log;
effect resource Shard[key: i64];
fn note() with writes(Log) { }
fn peek() -> i64 with reads(Log) { 1 }
fn run_reader(f: Fn() -> i64 with reads(Log)) -> i64 { f() }
`;

  it("a closure whose effects exceed the slot's", () => {
    const ds = errors(analyze(`${log}fn main() {
    println(run_reader(|| { note(); 1 }));
}
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0404@8:24"]);
    expect(ds[0].message).toBe("argument 1 has effect writes(Log) not declared in slot [reads(Log)] (in call to 'run_reader')");
  });

  it("a named function, and several missing effects in one message", () => {
    const ds = errors(analyze(`${log}fn noisy() -> i64 { note(); 10 / peek() }
fn main() {
    println(run_reader(noisy));
}
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0404@9:24"]);
    expect(ds[0].message).toBe("argument 1 has effects writes(Log), panics not declared in slot [reads(Log)] (in call to 'run_reader')");
  });

  it("the argument number counts source arguments; a method's receiver is not one", () => {
    const ds = errors(analyze(`${log}struct Runner { n: i64 }
impl Runner {
    fn go(ref self, x: i64, f: Fn() -> i64 with reads(Log)) -> i64 { x + f() }
}
fn main() {
    let r = Runner { n: 1 };
    println(r.go(2, || { note(); 3 }));
}
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0404@13:21"]);
    expect(ds[0].message).toContain("argument 2 has effect writes(Log)");
  });

  it("a keyed slot atom covers only its partition; an unkeyed one covers all", () => {
    const src = `${log}fn put_one() with writes(Shard[1]) { }
fn put_two() with writes(Shard[2]) { }
fn only_one(f: Fn() with writes(Shard[1])) { f() }
fn any_shard(f: Fn() with writes(Shard)) { f() }
fn main() {
    only_one(put_one);
    only_one(put_two);
    any_shard(put_two);
}
`;
    const ds = errors(analyze(src).result.diagnostics);
    expect(where(ds)).toEqual(["E0404@13:14"]);
    expect(ds[0].message).toContain("argument 1 has effect writes(Shard[2]) not declared in slot [writes(Shard[1])]");
  });

  it("a slot parameter passed on to another slot is checked by its declared clause", () => {
    const ds = errors(analyze(`${log}fn pass_on(g: Fn() -> i64 with writes(Log)) -> i64 { run_reader(g) }
fn pass_ok(g: Fn() -> i64 with reads(Log)) -> i64 { run_reader(g) }
fn main() { println(pass_on(|| { note(); 1 }) + pass_ok(peek)); }
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0404@7:65"]);
    expect(ds[0].message).toContain("argument 1 has effect writes(Log) not declared in slot [reads(Log)]");
  });

  it("near misses: a subset, a pure function, allocation, a `with _` slot, a pure closure in an unannotated slot", () => {
    const a = analyze(`${log}fn any(f: Fn() -> i64 with _) -> i64 { f() }
fn plain(f: Fn() -> i64) -> i64 { f() }
fn open(f: Fn() -> i64) -> i64 with _ { f() }
fn main() {
    println(run_reader(peek));
    println(run_reader(|| 7));
    println(run_reader(|| { let v = Vec[1, 2]; v.len() }));
    println(any(|| { note(); 1 }));
    println(plain(|| { let v = Vec[1, 2]; v[5] }));
    println(open(|| { note(); 1 }));
}
`);
    expect(errors(a.result.diagnostics)).toEqual([]);
  });

  it("an unannotated Fn slot is pure, as in karac: a resource effect passed to it is E0404", () => {
    const ds = errors(analyze(`${log}fn plain(f: Fn() -> i64) -> i64 { f() }
fn main() {
    println(plain(|| { note(); 1 }));
    println(plain(peek));
}
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0404@9:19", "E0404@10:19"]);
    expect(ds[0].message).toBe("argument 1 has effect writes(Log) not declared in slot [pure] (in call to 'plain')");
    expect(ds[1].message).toBe("argument 1 has effect reads(Log) not declared in slot [pure] (in call to 'plain')");
  });
});

describe("E0406: one effect variable, two slots", () => {
  const log = `
effect resource Log;
fn note() with writes(Log) { }
fn peek() -> i64 with reads(Log) { 1 }
fn both[with E](f: Fn() -> i64 with E, g: Fn() -> i64 with E) -> i64 with E { f() + g() }
`;

  it("closures binding E to different sets", () => {
    const ds = errors(analyze(`${log}fn main() {
    println(both(|| peek(), || { note(); 2 }));
}
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0406@7:29"]);
    expect(ds[0].message).toBe(
      "effect variable `E` is bound to {reads(Log)} at argument 1 but {writes(Log)} at argument 2; `with E` requires every slot to agree",
    );
  });

  it("a pure closure against an effectful one", () => {
    const ds = errors(analyze(`${log}fn main() {
    println(both(|| 1, peek));
}
`).result.diagnostics);
    expect(where(ds)).toEqual(["E0406@7:24"]);
    expect(ds[0].message).toContain("bound to {} at argument 1 but {reads(Log)} at argument 2");
  });

  it("the fixed part of a slot is not part of the binding", () => {
    const src = `${log}fn mixed[with E](f: Fn() -> i64 with E reads(Log), g: Fn() -> i64 with E) -> i64 with E reads(Log) { f() + g() }
fn main() {
    println(mixed(|| peek() + 1, || 2));
    println(mixed(|| { note(); peek() }, || 3));
}
`;
    const ds = errors(analyze(src).result.diagnostics);
    expect(where(ds)).toEqual(["E0406@9:42"]);
    expect(ds[0].message).toContain("bound to {writes(Log)} at argument 1 but {} at argument 2");
  });

  it("near miss: both closures agree", () => {
    const a = analyze(`${log}fn main() {
    println(both(|| peek(), || peek() * 2));
    println(both(|| 1, || 2));
}
`);
    expect(errors(a.result.diagnostics)).toEqual([]);
  });
});
