import { describe, expect, it } from "vitest";
import { reportOf } from "../concurrency/testutil.js";
import { analyze, errors, inferredOf, pipeline, where } from "./testing.js";

const mailer = `
trait MailProvider {
    fn send(mut ref self, to: String) -> i64;
    fn sent(ref self) -> i64;
    fn audit(ref self) with writes(Log);
}
effect resource Log;
effect resource Mailer: MailProvider;
struct Quiet { n: i64 }
impl MailProvider for Quiet {
    fn send(mut ref self, to: String) -> i64 { self.n = self.n + 1; self.n }
    fn sent(ref self) -> i64 { self.n }
    fn audit(ref self) { }
}
`;

describe("provider calls as effects", () => {
  it("the receiver gives reads or writes of the resource, the trait method's clause adds its own", () => {
    const a = analyze(`${mailer}fn a() -> i64 { Mailer.send("x") }
fn b() -> i64 { Mailer.sent() }
fn c() { Mailer.audit(); }
fn main() { }
`);
    expect(inferredOf(a, "a")).toEqual(["writes(Mailer)"]);
    expect(inferredOf(a, "b")).toEqual(["reads(Mailer)"]);
    expect(inferredOf(a, "c")).toEqual(["reads(Mailer)", "writes(Log)"]);
    // the report says each effect comes from a provider call
    expect(a.result.reportFor("c")).toMatchObject({
      origins: [
        { effect: "reads(Mailer)", from: "provider", via: "Mailer.audit", line: 17 },
        { effect: "writes(Log)", from: "provider", via: "Mailer.audit", line: 17 },
      ],
    });
  });

  it("a pub fn must declare what its provider calls do (E0400), and is clean when it does", () => {
    const bad = errors(pipeline(`${mailer}pub fn notify() -> i64 with reads(Mailer) { Mailer.send("x") }
fn main() { }
`));
    expect(where(bad)).toEqual(["E0400@15:1"]);
    expect(bad[0].message).toBe("public function 'notify' performs writes(Mailer) but does not declare it (via call to 'Mailer.send' at line 15)");
    expect(errors(pipeline(`${mailer}pub fn notify() -> i64 with writes(Mailer) { Mailer.send("x") }
fn main() { }
`))).toEqual([]);
  });

  it("a trait method without a clause of its own takes the trait-level clause as its ceiling", () => {
    const a = analyze(`
effect resource Log;
trait Clock with writes(Log) {
    fn now(ref self) -> i64;
}
effect resource Time: Clock;
struct Fake { t: i64 }
impl Clock for Fake {
    fn now(ref self) -> i64 { self.t }
}
fn when() -> i64 { Time.now() }
fn main() { }
`);
    expect(inferredOf(a, "when")).toEqual(["reads(Time)", "writes(Log)"]);
  });

  it("without any ceiling, a provider call does what the bound providers' methods do", () => {
    const a = analyze(`
effect resource Log;
fn note() with writes(Log) { }
trait Clock {
    fn now(ref self) -> i64;
}
effect resource Time: Clock;
struct Fake { t: i64 }
impl Clock for Fake {
    fn now(ref self) -> i64 { note(); self.t }
}
fn when() -> i64 { Time.now() }
fn main() { println(with_provider[Time](Fake { t: 1 }, || when())); }
`);
    expect(inferredOf(a, "when")).toEqual(["reads(Time)", "writes(Log)"]);
  });

  it("query effects lists resources with their providers, each function's provider scopes and the trait ceilings", () => {
    const a = analyze(`${mailer}struct Loud { p: String }
impl MailProvider for Loud {
    fn send(mut ref self, to: String) -> i64 { 0 }
    fn sent(ref self) -> i64 { 0 }
    fn audit(ref self) { }
}
fn main() {
    let n = providers { Mailer => Quiet { n: 0 } } in { Mailer.send("a") };
    let m = with_provider[Mailer](Loud { p: "!" }, || Mailer.sent());
    println(n + m);
}
`);
    const report = a.result.report() as { resources: unknown[]; traits: unknown[] };
    expect(report.resources).toEqual([
      { name: "Log", provider_traits: [], providers: [] },
      { name: "Mailer", provider_traits: ["MailProvider"], providers: ["Quiet", "Loud"] },
    ]);
    expect(report.traits).toEqual([
      {
        name: "MailProvider",
        ceiling: null,
        methods: [
          { name: "send", receiver: "mutref", ceiling: null },
          { name: "sent", receiver: "ref", ceiling: null },
          { name: "audit", receiver: "ref", ceiling: ["writes(Log)"] },
        ],
      },
    ]);
    expect(a.result.reportFor("main")).toMatchObject({
      provider_scopes: [
        { line: 22, bindings: [{ resource: "Mailer", provider: "Quiet" }] },
        { line: 23, bindings: [{ resource: "Mailer", provider: "Loud" }] },
      ],
    });
  });
});

describe("the provider stack of each provider scope", () => {
  it("lists the bindings of the scopes around it in the function, outermost first, and marks the shadowed ones", () => {
    const a = analyze(`${mailer}struct Loud { p: String }
impl MailProvider for Loud {
    fn send(mut ref self, to: String) -> i64 { 0 }
    fn sent(ref self) -> i64 { 0 }
    fn audit(ref self) { }
}
struct Stamp { t: i64 }
trait TimeProvider { fn now(ref self) -> i64; }
impl TimeProvider for Stamp { fn now(ref self) -> i64 { self.t } }
effect resource Time: TimeProvider;
fn main() {
    providers { Mailer => Quiet { n: 0 }, Time => Stamp { t: 1 } } in {
        with_provider[Mailer](Loud { p: "!" }, || {
            println(Mailer.sent() + Time.now());
        });
    };
    with_provider[Time](Stamp { t: 2 }, || println(Time.now()));
}
`);
    const scopes = (a.result.reportFor("main") as { provider_scopes: { line: number; stack: unknown[] }[] }).provider_scopes;
    expect(scopes.map((s) => [s.line, s.stack])).toEqual([
      [
        26,
        [
          { resource: "Mailer", provider: "Quiet", line: 26, column: 5, shadowed: false },
          { resource: "Time", provider: "Stamp", line: 26, column: 5, shadowed: false },
        ],
      ],
      [
        27,
        [
          { resource: "Mailer", provider: "Quiet", line: 26, column: 5, shadowed: true },
          { resource: "Time", provider: "Stamp", line: 26, column: 5, shadowed: false },
          { resource: "Mailer", provider: "Loud", line: 27, column: 9, shadowed: false },
        ],
      ],
      [31, [{ resource: "Time", provider: "Stamp", line: 31, column: 5, shadowed: false }]],
    ]);
  });
});

describe("output through a Stdout / Stderr provider", () => {
  const capture = `
effect resource Audit;
fn note() with writes(Audit) { }
struct Capture { n: i64 }
impl Capture {
    fn print(mut ref self, s: String) { self.n = self.n + 1; }
    fn println(mut ref self, s: String) { note(); }
}
fn heavy(k: i64) -> i64 {
    let mut acc = 0;
    for i in 0..100000 { acc = (acc + i * k) % 1000003; }
    acc
}
`;

  it("output infers nothing, as in karac, whichever provider receives it: a pub fn that prints declares nothing", () => {
    const src = `${capture}pub fn show(x: i64) { println(x); }
fn warn() { eprintln("w"); }
fn main() { with_provider[Stdout](Capture { n: 0 }, || show(1)); }
`;
    const a = analyze(src);
    expect(inferredOf(a, "show")).toEqual([]);
    expect(inferredOf(a, "warn")).toEqual([]);
    expect(errors(pipeline(src))).toEqual([]);
  });

  it("automatic parallelisation keeps statements that route output in order, and runs them in parallel when nothing binds a stream", () => {
    const body = `fn both() -> i64 {
    let a = heavy(1);
    println(a);
    let b = heavy(2);
    println(b);
    a + b
}
fn report() -> i64 {
    let a = show(1);
    let b = show(2);
    a + b
}
fn show(k: i64) -> i64 { let v = heavy(k); println(v); v }
`;
    const routed = `${capture}${body}fn main() { with_provider[Stdout](Capture { n: 0 }, || both() + report()); }\n`;
    expect(reportOf(routed, "report").parallel_groups).toEqual([]);
    const plain = `${capture}${body}fn main() { println(both() + report()); }\n`;
    expect(reportOf(plain, "report").parallel_groups.map((g) => g.statements)).toEqual([[0, 1]]);
  });
});

describe("automatic parallelisation sees provider calls by their resource", () => {
  const src = (body: string): string => `${mailer}fn work(k: i64) -> i64 {
    let mut acc = 0;
    for i in 0..100000 { acc = (acc + i * k) % 1000003; }
    acc
}
fn both() -> i64 {
${body}
}
fn main() { }
`;

  it("two reads of one resource may run in parallel", () => {
    const r = reportOf(src("    let a = work(Mailer.sent());\n    let b = work(Mailer.sent() + 1);\n    a + b"), "both");
    expect(r.parallel_groups.map((g) => g.statements)).toEqual([[0, 1]]);
  });

  it("a write and a read of one resource stay in order", () => {
    const r = reportOf(src("    let a = work(Mailer.send(\"x\"));\n    let b = work(Mailer.sent() + 1);\n    a + b"), "both");
    expect(r.parallel_groups).toEqual([]);
  });
});

describe("E0230 / E0231: effect ceilings of traits and impls", () => {
  const store = (implBody: string, traitHead = "trait Store", implHead = "impl Store for Mem"): string => `
effect resource Db;
effect resource Log;
fn note() with writes(Log) { }
fn look() -> i64 with reads(Db) { 1 }
${traitHead} {
    fn get(ref self) -> i64 with reads(Db);
    fn describe(ref self) -> i64 with reads(Db) { look() }
}
struct Mem { v: i64 }
${implHead} {
${implBody}
}
fn main() { println(Mem { v: 1 }.get()); }
`;

  it("an impl method doing more than the trait method's ceiling (E0230)", () => {
    const ds = errors(pipeline(store("    fn get(ref self) -> i64 { note(); look() }")));
    expect(where(ds)).toEqual(["E0230@12:5"]);
    expect(ds[0].message).toBe(
      "impl method 'Mem.get' performs writes(Log) but trait 'Store.get' ceiling is [reads(Db)]; narrow the impl or widen the trait ceiling",
    );
  });

  it("near miss: within the ceiling, allocation and panics aside", () => {
    expect(errors(pipeline(store("    fn get(ref self) -> i64 { let v = Vec[1, 2]; v[0] + look() }")))).toEqual(
      expect.arrayContaining([]),
    );
    const ds = errors(pipeline(store("    fn get(ref self) -> i64 { let v = Vec[1, 2]; v.len() + look() }")));
    expect(ds).toEqual([]);
  });

  it("the trait-level clause is the ceiling of methods without their own", () => {
    const src = `
effect resource Db;
effect resource Log;
fn note() with writes(Log) { }
trait Store with reads(Db) {
    fn get(ref self) -> i64;
}
struct Mem { v: i64 }
impl Store for Mem {
    fn get(ref self) -> i64 { note(); self.v }
}
fn main() { println(Mem { v: 1 }.get()); }
`;
    const ds = errors(pipeline(src));
    expect(where(ds)).toEqual(["E0230@10:5"]);
    expect(ds[0].notes).toEqual(["the ceiling is the clause of `trait Store with ..`: 'get' declares none of its own"]);
    expect(errors(pipeline(src.replace("note(); ", "")))).toEqual([]);
  });

  it("`impl .. with clause` bounds every method of the block (E0230)", () => {
    const src = (clause: string): string => `
effect resource Log;
fn note() with writes(Log) { }
trait Plain {
    fn go(ref self) -> i64;
}
struct Mem { v: i64 }
impl Plain for Mem ${clause} {
    fn go(ref self) -> i64 { note(); self.v }
}
fn main() { println(Mem { v: 1 }.go()); }
`;
    const ds = errors(pipeline(src("with reads(Log)")));
    expect(where(ds)).toEqual(["E0230@9:5"]);
    expect(ds[0].message).toBe(
      "impl method 'Mem.go' performs writes(Log) but the ceiling of its impl block is [reads(Log)]; narrow the method or widen the impl's `with` clause",
    );
    expect(errors(pipeline(src("with writes(Log)")))).toEqual([]);
  });

  it("a default body doing more than its method's ceiling (E0231), once however many types use it", () => {
    const src = (body: string): string => `
effect resource Db;
effect resource Log;
fn note() with writes(Log) { }
trait Store {
    fn get(ref self) -> i64;
    fn describe(ref self) -> i64 with reads(Db) { ${body} }
}
struct Mem { v: i64 }
struct Disk { v: i64 }
impl Store for Mem { fn get(ref self) -> i64 { self.v } }
impl Store for Disk { fn get(ref self) -> i64 { self.v } }
fn main() { println(Mem { v: 1 }.describe() + Disk { v: 2 }.describe()); }
`;
    const ds = errors(pipeline(src("note(); 1")));
    expect(where(ds)).toEqual(["E0231@7:5"]);
    expect(ds[0].message).toBe(
      "default body of 'Store.describe' performs writes(Log) but the method ceiling is [reads(Db)]; declare the effect on the method or remove it from the default body",
    );
    expect(errors(pipeline(src("1")))).toEqual([]);
  });

  it("a `with _` ceiling leaves impls free", () => {
    const src = `
effect resource Log;
fn note() with writes(Log) { }
trait Hook {
    fn run(ref self) with _;
}
struct H { v: i64 }
impl Hook for H { fn run(ref self) { note(); } }
fn main() { H { v: 1 }.run(); }
`;
    expect(errors(pipeline(src))).toEqual([]);
  });
});
