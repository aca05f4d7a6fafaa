// The real `kara` command on programs that fail at run time: each fault names its place, and
// each kind of ending has its own exit status (README "Exit status").

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt, kara } from "./testing/kara-process.js";

const dir = mkdtempSync(join(tmpdir(), "kara-faults-"));

function source(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(ensureCliBuilt);

describe("kara run: runtime faults", () => {
  it("a panic prints karac's line and exits 1", async () => {
    const r = await kara(["run", source("panic.kara", 'fn main() {\n    println("before");\n    panic("boom");\n}\n')]);
    expect(r.stdout).toBe(`before\npanic at ${join(dir, "panic.kara")}:3:5 in main: boom\n`);
    expect(r.code).toBe(1);
  });

  it("a stack overflow names the recursing function and the task, and exits 1", async () => {
    const file = source(
      "overflow.kara",
      ["fn main() {", '    println(f"{down(1)}");', "}", "", "fn down(n: i64) -> i64 {", "    if n == 0 {", "        return 0;", "    }", "    return down(n + 1) + 1;", "}", ""].join("\n"),
    );
    const r = await kara(["run", file, "--workers", "2"]);
    expect(r.stderr).toBe("error: stack overflow in down (declared at line 5) while running task 1 (main, line 1)\n");
    expect(r.code).toBe(1);
  });

  it("a stack overflow in a par branch names the branch's task, on whichever worker ran it", async () => {
    const file = source(
      "overflow-branch.kara",
      [
        "fn down(n: i64) -> i64 {",
        "    if n == 0 {",
        "        return 0;",
        "    }",
        "    return down(n + 1) + 1;",
        "}",
        "",
        "fn main() {",
        "    par {",
        "        let a = down(1);",
        "        let b = 2;",
        "    }",
        '    println(f"{a + b}");',
        "}",
        "",
      ].join("\n"),
    );
    const r = await kara(["run", file, "--workers", "4"]);
    expect(r.stderr).toBe("error: stack overflow in down (declared at line 1) while running task 2 (par, line 10)\n");
    expect(r.code).toBe(1);
  });

  it("out of memory names the request, the limit from --max-memory and the allocating function, and exits 134", async () => {
    const file = source(
      "oom.kara",
      [
        "fn main() {",
        "    let v = fill(100000000);",
        '    println(f"{v.len()}");',
        "}",
        "",
        "fn fill(n: i64) -> Vec[i64] {",
        "    let mut v: Vec[i64] = Vec.new();",
        "    let mut i = 0;",
        "    while i < n {",
        "        v.push(i);",
        "        i = i + 1;",
        "    }",
        "    return v;",
        "}",
        "",
      ].join("\n"),
    );
    const r = await kara(["run", file, "--max-memory", "32M", "--memory-pages", "64"]);
    expect(r.stdout).toMatch(/^panic: out of memory: requested \d+ bytes, limit 32 MiB, in fill \(declared at line 6\) while running task 1 \(main, line 1\)\n$/);
    expect(r.code).toBe(134);
  });

  it("a timeout names the running task and its function, and exits 124", async () => {
    const file = source(
      "spin.kara",
      [
        "fn main() {",
        "    let mut i = 0;",
        "    while i >= 0 {",
        "        i = (i + 1) % 1000;",
        "    }",
        '    println(f"{i}");',
        "}",
        "",
      ].join("\n"),
    );
    const r = await kara(["run", file, "--timeout", "0.5", "--workers", "2"]);
    expect(r.stderr).toBe("error: timed out after 0.5 s while running task 1 (main, line 1) in main (declared at line 1)\n");
    expect(r.code).toBe(124);
  });

  it("a deadlock on a channel names it by its variables and creation line, and exits 3", async () => {
    const file = source(
      "channel.kara",
      ["fn main() {", "    let (tx, rx) = Channel.new();", "    let first = rx.recv();", '    println(f"{first}");', "    tx.send(1);", "}", ""].join("\n"),
    );
    const r = await kara(["run", file, "--workers", "2"]);
    expect(r.stderr).toBe(
      "error: deadlock: every worker is blocked and no task can make progress: task 1 (main, line 1) waits to receive on channel (tx, rx) (created at line 2)\n",
    );
    expect(r.code).toBe(3);
  });

  it("a deadlock on a mutex names it by its variable and creation line", async () => {
    const file = source(
      "mutex.kara",
      [
        "fn main() {",
        "    let counter = Mutex.new(0);",
        "    lock counter c {",
        "        bump(counter);",
        "        c = c + 1;",
        "    }",
        "}",
        "",
        "fn bump(m: Mutex[i64]) {",
        "    lock m {",
        "        m = m + 1;",
        "    }",
        "}",
        "",
      ].join("\n"),
    );
    const r = await kara(["run", file, "--workers", "1"]);
    expect(r.stderr).toBe(
      "error: deadlock: every worker is blocked and no task can make progress: task 1 (main, line 1) waits to lock mutex counter (created at line 2)\n",
    );
    expect(r.code).toBe(3);
  });
});
