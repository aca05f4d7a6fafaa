// `?` inside a par branch (effects-concurrency §4.1): it leaves the branch with the Err/None,
// fails the par like an Err-valued branch (siblings cancelled, cleanup on the error path), and the
// enclosing function returns it after the join. Run under the sequential host, in fork order and
// shuffled. Also: a detached task never prints into the capture of the task that ran it.

import { describe, expect, it } from "vitest";
import { build, compileSource, run, runWasm } from "./test/pipeline.js";

const get = `fn get(n: i64) -> Result[i64, String] { if n < 0 { Err(f"neg {n}") } else { Ok(n * 10) } }`;

describe("`?` in a par branch", () => {
  it("returns the Err from the enclosing function after the join, with errdefers first", () => {
    const r = run(`${get}
fn work(a: i64, b: i64) -> Result[i64, String] {
    errdefer(e) println(f"work failed: {e}");
    par {
        let x = { defer println("x defer"); get(a)? };
        let y = { errdefer(e) println(f"y errdefer {e}"); defer println("y defer"); get(b)? };
        let z = get(7)?;
    }
    Ok(x + y + z)
}
fn main() {
    println(work(1, 2));
    println(work(1, -2));
}`);
    expect(r.stdout).toBe("x defer\ny defer\nOk(100)\nx defer\ny errdefer neg -2\ny defer\nwork failed: neg -2\nErr(neg -2)\n");
  });

  it("works for Option, in closures, and through a nested par", () => {
    const r = run(`${get}
fn nested(a: i64, b: i64) -> Result[i64, String] {
    defer println("nested defer");
    par {
        let x = get(a)?;
        let y = {
            par {
                let p = get(b)?;
                let q = { defer println("q defer"); 1 };
            }
            p + q
        };
    }
    Ok(x + y)
}
fn first(v: Option[i64]) -> Option[i64] {
    let f = |w: Option[i64]| {
        par {
            let a = w?;
            let b = 1;
        }
        Some(a + b)
    };
    f(v)
}
fn main() {
    println(nested(1, 2));
    println(nested(1, -2));
    println(first(Some(3)));
    println(first(None));
}`);
    expect(r.stdout).toBe("q defer\nnested defer\nOk(31)\nq defer\nnested defer\nErr(neg -2)\nSome(4)\nNone\n");
  });

  it("yields the Err of the branch that failed; siblings cancelled before failing record none", () => {
    // Branches b, c and d would all fail; one at a time under this host, so the first to run
    // fails and cancels the others at their entry. In fork order that is b (source order).
    const wasm = build(`${get}
fn all(n: i64) -> Result[i64, String] {
    par {
        let a = get(n)?;
        let b = get(-n - 1)?;
        let c = get(-n - 2)?;
        let d = get(-n - 3)?;
    }
    Ok(a + b + c + d)
}
fn main() { println(all(1)); }`);
    expect(runWasm(wasm).stdout).toBe("Err(neg -2)\n");
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const out = runWasm(wasm, { shuffleSeed: seed }).stdout;
      expect(["Err(neg -2)\n", "Err(neg -3)\n", "Err(neg -4)\n"]).toContain(out);
      seen.add(out);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it("mixes with an annotated Result branch: the par's value or the function's return, by source order", () => {
    const r = run(`${get}
fn mixed(a: i64, b: i64) -> Result[i64, String] {
    let out: Result[i64, String] = par {
        let r: Result[i64, String] = get(a);
        let v = get(b)?;
        Ok(v)
    };
    println(f"par gave {out}");
    out
}
fn main() {
    println(mixed(1, 2));
    println(mixed(-1, 2));
    println(mixed(1, -2));
}`);
    expect(r.stdout).toBe("par gave Ok(20)\nOk(20)\npar gave Err(neg -1)\nErr(neg -1)\nErr(neg -2)\n");
  });

  it("is checked against the enclosing function's return type (E0228)", () => {
    const branch = `fn get() -> Result[i64, i64] { Ok(1) }
fn f() -> RET {
    par {
        let a = get()?;
        let b = 2;
    }
    BODY
}
fn main() { println(f()); }`;
    expect(() => compileSource(branch.replace("RET", "i64").replace("BODY", "a + b"))).toThrow(
      "check: E0228 4:17 the `?` operator on a Result can only be used in a function that returns Result, not i64",
    );
    expect(() => compileSource(branch.replace("RET", "Result[i64, String]").replace("BODY", "Ok(a + b)"))).toThrow("check: E0228 4:17 `?` cannot convert the error type i64 into String");
  });
});

describe("detached tasks", () => {
  it("print straight out even when run inside the join of a captured branch", () => {
    // Branch 2 is captured; its join runs the detached task first (LIFO), which must not print
    // into branch 2's capture (nobody would replay it in its place).
    const r = run(`fn main() {
    par {
        println("first");
        {
            println("b1 start");
            let h: TaskHandle[i64] = spawn(|| 5);
            spawn(|| println("detached"));
            let v: i64 = h.join();
            println(f"b1 got {v}");
        };
    }
}`);
    expect(r.stdout).toBe("first\ndetached\nb1 start\nb1 got 5\n");
  });
});
