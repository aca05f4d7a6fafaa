// Channels compiled to wasm and run on the worker pool: send / recv / try_recv / clone / close in
// one task, across par branches, TaskGroup tasks and spawned tasks, element types of every
// shape, and the deadlock report for a receive nobody will ever send to.

import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import type { RunResult } from "../../wasm-runtime/api.js";

const runner = createNodeRunner(4);
afterAll(() => runner.dispose());

async function build(src: string): Promise<Uint8Array> {
  const c = await compile(src, { fileName: "chan.kara" });
  expect(c.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.span.line}: ${d.message}`)).toEqual([]);
  return c.wasm!;
}

async function runOn(wasm: Uint8Array, workers: number): Promise<{ out: string; result: RunResult }> {
  let out = "";
  const result = await runner.run({ wasm, workers, timeoutMs: 30_000, onOutput: (fd, t) => (fd === 1 ? (out += t) : undefined) });
  return { out, result };
}

/** Compile once; run on 1 and on 4 workers; both must print `expected` and exit 0. */
async function expectOutput(src: string, expected: string, runs = 2): Promise<void> {
  const wasm = await build(src);
  for (const workers of [1, 4]) {
    for (let k = 0; k < runs; k++) {
      const { out, result } = await runOn(wasm, workers);
      expect({ workers, status: result.status, message: result.message, out }).toEqual({ workers, status: "ok", message: undefined, out: expected });
    }
  }
}

describe("channels in one task", () => {
  it("deliver in FIFO order, through clones, with try_recv seeing empty", async () => {
    await expectOutput(
      `fn main() {
    let (tx, rx) = Channel.new();
    let tx2 = tx.clone();
    tx.send(1);
    tx2.send(2);
    tx.send(3);
    println(rx.recv());
    match rx.try_recv() { Some(v) => println(f"some {v}"), None => println("none") }
    println(rx.recv());
    match rx.try_recv() { Some(v) => println(f"some {v}"), None => println("none") }
    let mut i = 0;
    while i < 100 {
        tx.send(i);
        i = i + 1;
    }
    let mut sum = 0;
    while i > 0 {
        sum = sum + rx.recv();
        i = i - 1;
    }
    println(sum);
}
`,
      "1\nsome 2\n3\nnone\n4950\n",
    );
  });

  it("carry every kind of element: floats, bools, chars, strings, structs, enums, vectors, tuples", async () => {
    await expectOutput(
      `#[derive(Display)]
struct Point { x: i64, y: i64, label: String }
#[derive(Display)]
enum Shape { Dot, Circle(f64), Named { name: String } }
fn main() {
    let (ftx, frx) = Channel.new[f64]();
    ftx.send(2.5);
    println(frx.recv());
    let (btx, brx) = Channel.new[bool]();
    btx.send(true);
    println(brx.recv());
    let (ctx, crx) = Channel.new[char]();
    ctx.send('k');
    println(crx.recv());
    let (f32tx, f32rx) = Channel.new[f32]();
    f32tx.send(1.25);
    println(f32rx.recv());
    let (stx, srx) = Channel.new();
    stx.send(Point { x: 1, y: 2, label: "p" });
    println(srx.recv());
    let (etx, erx) = Channel.new();
    etx.send(Shape.Circle(1.5));
    etx.send(Shape.Named { name: "sq" });
    etx.send(Shape.Dot);
    println(erx.recv());
    println(erx.recv());
    println(erx.recv());
    let (vtx, vrx) = Channel.new[Vec[String]]();
    vtx.send(["a", "b"]);
    println(vrx.recv());
    let (ttx, trx) = Channel.new();
    ttx.send((7, "seven"));
    let (n, name) = trx.recv();
    println(f"{n} {name}");
    let (utx, urx) = Channel.new[u8]();
    utx.send(255);
    println(urx.recv());
}
`,
      "2.5\ntrue\nk\n1.25\nPoint { x: 1, y: 2, label: p }\nCircle(1.5)\nNamed { name: sq }\nDot\n[a, b]\n7 seven\n255\n",
    );
  });

  it("close when the last Sender drops: recv then gives the zero value and never blocks", async () => {
    await expectOutput(
      `fn send_two(tx: Sender[i64]) {
    tx.send(1);
    tx.send(2);
}
fn drop_it(tx: Sender[String]) { }
fn main() {
    let (tx, rx) = Channel.new[i64]();
    let extra = tx.clone();
    send_two(tx);
    drop_it_too(extra);
    println(rx.recv());
    println(rx.recv());
    println(rx.recv());
    println(rx.recv());
    match rx.try_recv() { Some(v) => println(v), None => println("none") }
    let (stx, srx) = Channel.new[String]();
    drop_it(stx);
    println(f"[{srx.recv()}]");
}
fn drop_it_too(tx: Sender[i64]) { }
`,
      "1\n2\n0\n0\nnone\n[]\n",
    );
  });

  it("free undelivered owned elements with the last handle", async () => {
    // Thousands of channels each left holding strings and vectors: leaked elements would exhaust
    // the 4 MiB memory.
    await expectOutput(
      `fn fill(k: i64) -> i64 {
    let (tx, rx) = Channel.new();
    let mut i = 0;
    while i < 20 {
        tx.send(f"element {k} {i} with some padding to make it larger than a small block");
        i = i + 1;
    }
    let first = rx.recv();
    first.len()
}
fn main() {
    let mut total = 0;
    let mut k = 0;
    while k < 3000 {
        total = total + fill(k);
        k = k + 1;
    }
    println(total > 0);
}
`,
      "true\n",
      1,
    );
  });
});

describe("channels between tasks", () => {
  it("connect par branches: a consumer branch blocks until a sibling produces", async () => {
    await expectOutput(
      `fn produce(tx: ref Sender[i64], from: i64, n: i64) {
    let mut i = 0;
    while i < n {
        tx.send(from + i);
        i = i + 1;
    }
}
fn consume(rx: ref Receiver[i64], n: i64) -> i64 {
    let mut sum = 0;
    let mut i = 0;
    while i < n {
        sum = sum + rx.recv();
        i = i + 1;
    }
    sum
}
fn main() {
    let (tx, rx) = Channel.new[i64]();
    par {
        let total = consume(rx, 300);
        produce(tx, 0, 100);
        produce(tx, 1000, 100);
        produce(tx, 2000, 100);
    }
    println(total);
}
`,
      "314850\n",
    );
  });

  it("connect TaskGroup producers to a consumer in main, and main to a spawned consumer", async () => {
    await expectOutput(
      `fn produce(tx: ref Sender[i64], base: i64, n: i64) {
    let mut i = 0;
    while i < n {
        tx.send(base + i);
        i = i + 1;
    }
}
fn main() {
    let (tx, rx) = Channel.new[i64]();
    let mut tg = TaskGroup.new();
    tg.spawn(|| produce(tx, 0, 50));
    tg.spawn(|| produce(tx, 100, 50));
    let mut sum = 0;
    let mut k = 0;
    while k < 100 {
        sum = sum + rx.recv();
        k = k + 1;
    }
    println(sum);
    let (wtx, wrx) = Channel.new[String]();
    let h = spawn(|| {
        let mut letters = 0;
        let mut s = wrx.recv();
        while s != "stop" {
            letters = letters + s.len();
            s = wrx.recv();
        }
        letters
    });
    wtx.send("ab");
    wtx.send("cde");
    wtx.send("stop");
    let n: i64 = h.join();
    println(n);
}
`,
      "7450\n5\n",
    );
  });

  it("close when the last task holding a Sender ends", async () => {
    await expectOutput(
      `fn start(tx: Sender[i64]) {
    spawn(|| {
        tx.send(10);
        tx.send(20);
    });
}
fn main() {
    let (tx, rx) = Channel.new[i64]();
    start(tx);
    let a = rx.recv();
    let b = rx.recv();
    let c = rx.recv();
    println(f"{a} {b} {c}");
}
`,
      "10 20 0\n",
    );
  });

  it("ping-pong between two par branches (needs a second worker to run the other side)", async () => {
    const wasm = await build(`fn pinger(ping: ref Sender[i64], pong: ref Receiver[i64]) -> i64 {
    let mut total = 0;
    let mut i = 0;
    while i < 200 {
        ping.send(i);
        total = total + pong.recv();
        i = i + 1;
    }
    ping.send(-1);
    total
}
fn ponger(ping: ref Receiver[i64], pong: ref Sender[i64]) {
    let mut v = ping.recv();
    while v >= 0 {
        pong.send(v * 2);
        v = ping.recv();
    }
}
fn main() {
    let (ping_tx, ping_rx) = Channel.new[i64]();
    let (pong_tx, pong_rx) = Channel.new[i64]();
    par {
        let total = pinger(ping_tx, pong_rx);
        ponger(ping_rx, pong_tx);
    }
    println(total);
}
`);
    for (const workers of [2, 4]) {
      for (let k = 0; k < 5; k++) {
        const { out, result } = await runOn(wasm, workers);
        expect({ workers, status: result.status, out }).toEqual({ workers, status: "ok", out: "39800\n" });
      }
    }
  });
});

describe("examples/playground/channels.kara", () => {
  it("prints its .out on 1 and 4 workers", async () => {
    const src = readFileSync(new URL("../../examples/playground/channels.kara", import.meta.url), "utf8");
    const out = readFileSync(new URL("../../examples/playground/channels.out", import.meta.url), "utf8");
    await expectOutput(src, out);
  });
});

describe("failure", () => {
  it("a receiver blocked in a par branch stops when a sibling panics, and the run ends with the panic", async () => {
    const wasm = await build(`fn consume(rx: ref Receiver[i64]) -> i64 {
    let mut s = 0;
    let mut i = 0;
    while i < 10 {
        s = s + rx.recv();
        i = i + 1;
    }
    s
}
fn produce(tx: ref Sender[i64]) {
    tx.send(1);
    panic("producer failed");
}
fn main() {
    let (tx, rx) = Channel.new[i64]();
    println("start");
    par {
        let s = consume(rx);
        produce(tx);
    }
    println(s);
}
`);
    for (const workers of [1, 2, 4]) {
      const { out, result } = await runOn(wasm, workers);
      expect({ workers, status: result.status, exitCode: result.exitCode, out }).toEqual({
        workers,
        status: "panic",
        exitCode: 1,
        out: "start\npanic at chan.kara:12:5 in produce: producer failed\n",
      });
    }
  });
});

describe("deadlock", () => {
  it("reports a receive nobody will ever send to, naming the waiting task", async () => {
    const wasm = await build(`fn main() {
    let (tx, rx) = Channel.new[i64]();
    println("waiting");
    let v = rx.recv();
    tx.send(v);
}
`);
    for (const workers of [1, 4]) {
      const { out, result } = await runOn(wasm, workers);
      expect(out).toBe("waiting\n");
      expect(result.status).toBe("deadlock");
      expect(result.exitCode).toBe(1);
      expect(result.message).toMatch(/^deadlock: /);
      expect(result.message).toMatch(/task 1 \(main[^)]*\) waits to receive on channel \(tx, rx\) \(created at line 2\)/);
    }
  });

  it("reports a par branch waiting on a channel whose sender never sends", async () => {
    const wasm = await build(`fn wait_for(rx: ref Receiver[i64]) -> i64 { rx.recv() }
fn main() {
    let (tx, rx) = Channel.new[i64]();
    par {
        let a = wait_for(rx);
        let b = 2;
    }
    tx.send(a + b);
}
`);
    for (const workers of [1, 4]) {
      const { result } = await runOn(wasm, workers);
      expect(result.status).toBe("deadlock");
      expect(result.exitCode).toBe(1);
      expect(result.message).toMatch(/^deadlock: .*task \d+ \(par, line 5\) waits to receive on channel \(tx, rx\) \(created at line 3\)/);
    }
  });
});
