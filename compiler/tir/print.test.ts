// What the checker's desugarings produce, pinned down through the readable printer. Each snapshot was
// read and checked by hand against the rule it shows (see compiler/check/README.md, "Sugar that
// never reaches codegen").

import { describe, expect, it } from "vitest";
import { fn, ok } from "../check/testutil.js";
import { printFunction, printFunctionWithLifted } from "./print.js";

describe("printed desugarings", () => {
  it("an iterator pipeline becomes a for loop over the source with closure calls", () => {
    const p = ok(`fn main() {
    let v = [3, 8, 1, 6];
    let big: Vec[i64] = v.iter().filter(|x| x > 2).map(|x| x * 10).collect();
    println(f"{big}");
}`);
    expect(printFunctionWithLifted(p, fn(p, "main"))).toMatchInlineSnapshot(`
      "fn main() -> () {
          let v#0: Vec[i64] = vec[3, 8, 1, 6];
          let big#6: Vec[i64] = {
              let $f#2: Fn(i64) -> bool = closure main$closure1[];
              let $f#3: Fn(i64) -> i64 = closure main$closure2[];
              let $acc#5: Vec[i64] = @vec.new[i64]();
              'l0: for $x#1 in vec v#0 {
                  if !($f#2)($x#1) {
                      continue 'l0;
                  };
                  let $y#4: i64 = ($f#3)($x#1);
                  @vec.push[i64](place $acc#5; $y#4);
              };
              move $acc#5
          } drop [$f#2, $f#3, $acc#5];
          @println[String](f"{big#6}");
      } drop [v#0, big#6]

      closure main$closure1(x#0: i64) -> bool {
          (x#0 > 2)
      }

      closure main$closure2(x#0: i64) -> i64 {
          (x#0 * 10)
      }"
    `);
  });

  it("`?` on an Option becomes a match whose None arm returns", () => {
    const p = ok(`fn first(v: Vec[i64]) -> Option[i64] {
    let x = v.first()?;
    Some(x + 1)
}
fn main() { println(f"{first([1, 2])}"); }`);
    expect(printFunction(p, fn(p, "first"))).toMatchInlineSnapshot(`
      "fn first(v#0: Vec[i64]) -> Option[i64] {
          let x#2: i64 = match @vec.first[i64](v#0) {
              Some($ok#1) => $ok#1,
              None => return None,
          };
          Some((x#2 + 1))
      }"
    `);
  });

  it("`?` on a Result returns the Err unchanged", () => {
    const p = ok(`fn parse_twice(s: String) -> Result[i64, String] {
    let n = check(s)?;
    Ok(n * 2)
}
fn check(s: String) -> Result[i64, String] { if s.len() > 0 { Ok(1) } else { Err("empty") } }
fn main() { println(f"{parse_twice("a")}"); }`);
    expect(printFunction(p, fn(p, "parse_twice"))).toMatchInlineSnapshot(`
      "fn parse_twice(s#0: String) -> Result[i64, String] {
          let n#3: i64 = match check(move s#0) {
              Ok($ok#1) => $ok#1,
              Err($err#2) => return Err(move $err#2),
          };
          Ok((n#3 * 2))
      }"
    `);
  });

  it("`if let` becomes a two-armed match", () => {
    const p = ok(`fn main() {
    let o: Option[i64] = Some(4);
    if let Some(n) = o { println(f"{n}"); } else { println("none"); }
}`);
    expect(printFunction(p, fn(p, "main"))).toMatchInlineSnapshot(`
      "fn main() -> () {
          let o#0: Option[i64] = Some(4);
          match o#0 {
              Some(n#1) => {
                  @println[String](f"{n#1}");
              },
              _ => {
                  @println[String]("none");
              },
          }
      } drop [o#0]"
    `);
  });

  it("a long operator chain prints without exhausting the stack", () => {
    const terms = Array(20000).fill("a").join(" + ");
    const p = ok(`fn main() { let a = 1; let x = ${terms}; println(x); }`);
    const text = printFunction(p, fn(p, "main"));
    expect(text.match(/ \+ /g)).toHaveLength(19999);
  });
});
