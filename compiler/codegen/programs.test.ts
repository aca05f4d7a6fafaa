// T0 breadth: small programs run end to end (parse → check → generate → sequential host)
// with exact stdout and exit status. Expected outputs follow the language notes.

import { describe, expect, it } from "vitest";
import { run } from "./test/pipeline.js";

const cases: { name: string; src: string; out: string; code: number }[] = [
  {
    name: "checked arithmetic, widths and casts",
    src: `fn main() {
    let a: i32 = 2000000000;
    println(a.wrapping_add(a));
    println(a.checked_add(a).is_none());
    println(a.saturating_add(a));
    let big: i64 = 300;
    let c = 'A';
    let avg = 7 as f64 / 2 as f64;
    println(big as u8);
    println(c as u32);
    println(avg);
    println(-2.7 as i64);
    println(1e30 as i32);
    let x: u64 = 18446744073709551615;
    println(x);
    let y: u8 = 200;
    println(y);
    println(-7 / 2);
    println(-7 % 2);
    println(1 << 4 | 1);
    println(~0);
    let b = a + a;
    println(b);
}
`,
    out: "-294967296\ntrue\n2147483647\n44\n65\n3.5\n-2\n2147483647\n18446744073709551615\n200\n-3\n-1\n17\n-1\npanic at main.kara:22:13 in main: integer overflow\n",
    code: 1,
  },
  {
    name: "float and scalar printing",
    src: `fn main() {
    println(1.0);
    println(2.5 * 2.0);
    println(0.1 + 0.2);
    println(1.0 / 3.0);
    println(1e21);
    println(0.0000001);
    println(0.0 / 0.0);
    println(-1.0 / 0.0);
    println(0.1f32);
    println((16.0f64).sqrt());
    println(max(3, 9));
    println((-4i64).abs());
    println(true);
    println('x');
    println("héllo");
}
`,
    out: "1\n5\n0.30000000000000004\n0.3333333333333333\n1000000000000000000000\n0.0000001\nNaN\n-inf\n0.10000000149011612\n4\n9\n4\ntrue\nx\nhéllo\n",
    code: 0,
  },
  {
    name: "strings and f-strings with format specs",
    src: `fn main() {
    let mut s = String.new();
    s.push('k');
    s.push_str("ara");
    let t = s + "!";
    let mut u = "x";
    u += "yz";
    println(f"{s} {t} {u} {t.len()} {"héllo".len()} {"héllo".char_count()}");
    let w = 3;
    let h = 4;
    let label = "box";
    println(f"{label}: {w}x{h} = {w * h} \\{area\\}");
    println("{label} stays literal");
    let n = 7;
    let pi = 3.14159;
    let st = "hi";
    println(f"[{n:04}] [{n:x}] [{255:X}] [{n:>3}] [{n:<3}]");
    println(f"[{pi:.2}] [{pi:7.3}] [{st:5}] [{st:<5}] [{st:*^6}]");
}
`,
    out: "kara kara! xyz 5 6 5\nbox: 3x4 = 12 {area}\n{label} stays literal\n[0007] [7] [FF] [  7] [7  ]\n[3.14] [  3.142] [   hi] [hi   ] [**hi**]\n",
    code: 0,
  },
  {
    name: "value semantics, nested Vecs, Vec methods",
    src: `struct Bag { items: Vec[i64] }
fn main() {
    let mut bags: Vec[Bag] = Vec.new();
    bags.push(Bag { items: [1] });
    let mut copy = bags[0];
    copy.items.push(2);
    bags[0].items.push(3);
    println(f"{copy.items} {bags[0].items}");
    let words = ["ab", "cd"];
    let grid = [[1, 2], [3]];
    let empty: Vec[i64] = Vec.new();
    println(words);
    println(grid);
    println(f"e={empty}");
    let mut g2 = Vec.filled(2, Vec.filled(3, 0));
    g2[1][2] = 7;
    println(g2);
    let parts = ["a", "b", "c"];
    println(parts.join("-"));
    let mut v: Vec[i64] = Vec.new();
    for x in [5, 1, 4] { v.push(x); }
    v.sort();
    v.insert(0, 9);
    let last = v.pop();
    println(f"{v} {last} {v.len()} {v.contains(4)}");
}
`,
    out: "[1, 2] [1, 3]\n[ab, cd]\n[[1, 2], [3]]\ne=[]\n[[0, 0, 0], [0, 0, 7]]\na-b-c\n[9, 1, 4] Some(5) 3 true\n",
    code: 0,
  },
  {
    name: "mut ref, closures, shared struct, tuples, arrays",
    src: `fn bump(n: mut ref i64) { n = n + 10; }
fn add_bang(s: mut ref String) { s.push_str("!"); }
fn total(xs: ref Vec[i64]) -> i64 {
    let mut t = 0;
    for x in xs { t = t + x; }
    t
}
fn apply_twice(f: Fn(i64) -> i64, x: i64) -> i64 { f(f(x)) }
fn adder(n: i64) -> Fn(i64) -> i64 { |x| x + n }
shared struct Box2 { mut n: i64 }
fn main() {
    let mut k = 1;
    let mut msg = "hey";
    let v = [1, 2, 3];
    bump(mut k);
    add_bang(mut msg);
    println(f"{k} {msg} {total(v)} {v.len()}");
    let mut calls = 0;
    let note = |k: i64| { calls = calls + k; };
    note(2);
    note(3);
    let add5 = adder(5);
    println(f"{apply_twice(|v| v * 3, 2)} {add5(1)} {calls}");
    let a = Box2 { n: 1 };
    let b = a;
    b.n = 9;
    println(a.n);
    let t = (1, "a", true);
    println(t);
    println(t.1);
    let arr = Array[1, 2, 3];
    println(arr);
    println(arr[2]);
}
`,
    out: "11 hey! 6 3\n18 6 5\n9\n(1, a, true)\na\n[1, 2, 3]\n3\n",
    code: 0,
  },
  {
    name: "derive Display, enums, match, Option/Result, ?",
    src: `#[derive(Display)]
struct Pt { x: i64, y: i64 }
#[derive(Display)]
enum Shape { Dot, Circle(f64) }
enum Cmd { Quit, Move(i64, i64), Say { text: String } }
fn run(c: Cmd) -> String {
    match c {
        Cmd.Quit => "bye",
        Move(dx, dy) => f"move {dx + dy}",
        Cmd.Say { text } => f"say {text}",
    }
}
fn kind(n: i64) -> String {
    match n {
        0 => "zero",
        1 | 2 | 3 => "small",
        k @ 4..=9 => f"digit {k}",
        k if k < 0 => "negative",
        _ => "big",
    }
}
fn halve(n: i64) -> Result[i64, String] {
    if n % 2 == 0 { Ok(n / 2) } else { Err(f"{n} is odd") }
}
fn quarter(n: i64) -> Result[i64, String] {
    let h = halve(n)?;
    halve(h)
}
fn main() {
    let p = Pt { x: 1, y: -2 };
    let s = Shape.Circle(2.5);
    let d = Shape.Dot;
    println(p);
    println(f"{s} / {d}");
    println(run(Cmd.Move(2, 3)));
    println(run(Cmd.Say { text: "hi" }));
    println(run(Cmd.Quit));
    println(f"{kind(2)}, {kind(7)}, {kind(-3)}, {kind(99)}");
    println(quarter(12));
    println(quarter(6));
    let a: Option[i64] = Some(4);
    let n: Option[i64] = None;
    println(n.unwrap_or(-1));
    println(a.is_some() and n.is_none());
    let v = [10, 20];
    println(v.get(1));
    println(v.get(5));
    let r: Result[i64, String] = Err("nope");
    println(r);
}
`,
    out: "Pt { x: 1, y: -2 }\nCircle(2.5) / Dot\nmove 5\nsay hi\nbye\nsmall, digit 7, negative, big\nOk(3)\nErr(3 is odd)\n-1\ntrue\nSome(20)\nNone\nErr(nope)\n",
    code: 0,
  },
  {
    name: "methods, loops, labels, while let, shadowing, chars",
    src: `struct Counter { hits: i64 }
impl Counter {
    fn new() -> Counter { Counter { hits: 0 } }
    fn tick(mut ref self, by: i64) { self.hits = self.hits + by; }
    fn value(ref self) -> i64 { self.hits }
}
fn main() {
    let mut c = Counter.new();
    c.tick(2);
    c.tick(5);
    println(c.value());
    println(Counter.value(c));
    let mut n = 1;
    let first = loop {
        n = n * 3;
        if n > 50 { break n; }
    };
    println(first);
    let mut hits = 0;
    outer: for a in 1..5 {
        for b in 1..5 {
            if a * b == 6 { hits = hits + 1; continue outer; }
            if b > a { break; }
        }
    }
    let pick = blk: { if hits > 0 { break blk hits * 10; } -1 };
    println(pick);
    for i in 0..3 { print(i); }
    println();
    let mut st: Vec[i64] = [1, 2, 3];
    while let Some(x) = st.pop() { print(x); }
    println();
    let t = 85;
    let grade = if t >= 90 { "A" } else if t >= 80 { "B" } else { "C" };
    println(grade);
    let v = "12345";
    let v = v.len();
    let v = v * 2;
    { let v = 0; println(v); }
    println(v);
    for c in "héy" { print(f"[{c}]"); }
    println();
    for i in 1..=3 { print(i); }
    println();
}
`,
    out: "7\n7\n81\n20\n012\n321\nB\n0\n10\n[h][é][y]\n123\n",
    code: 0,
  },
  {
    name: "u8 overflow panics",
    src: `fn main() {
    let y: u8 = 200;
    let z = y + 100;
    println(z);
}
`,
    out: "panic at main.kara:3:13 in main: integer overflow\n",
    code: 1,
  },
  {
    name: "vec index out of bounds panics",
    src: `fn main() {
    let v = [1, 2, 3];
    let i = 5;
    println(v[i]);
}
`,
    out: "panic at main.kara:4:13 in main: vec index out of bounds\n",
    code: 1,
  },
  {
    name: "division by zero panics in the callee",
    src: `fn div(a: i64, b: i64) -> i64 { a / b }
fn main() {
    println(div(7, 0));
}
`,
    out: "panic at main.kara:1:33 in div: division by zero\n",
    code: 1,
  },
  {
    name: "unwrap on None panics",
    src: `fn main() {
    let o: Option[i64] = None;
    println(o.unwrap());
}
`,
    out: "panic at main.kara:3:13 in main: unwrap() called on None\n",
    code: 1,
  },
];

describe("programs end to end", () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.src);
      expect(r.stdout).toBe(c.out);
      expect(r.exitCode).toBe(c.code);
    });
  }
});
