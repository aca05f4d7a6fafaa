// collect_all / collect_all_vec: the shape they lower to (a `par` with one branch per argument, a
// TaskGroup fan-out) and, on the real worker pool, that the branches of collect_all overlap in time.

import { afterAll, describe, expect, it } from "vitest";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { fn, nodes, ok } from "../check/testutil.js";
import { build } from "./test/pipeline.js";

const runner = createNodeRunner(2);
afterAll(() => runner.dispose());

async function run(src: string, workers: number) {
  let stdout = "";
  const r = await runner.run({ wasm: build(src), workers, timeoutMs: 60_000, onOutput: (fd, text) => void (fd === 1 && (stdout += text)) });
  return { ...r, stdout };
}

const ITEMS = "fn ok(n: i64) -> Result[i64, String] { Ok(n) }\n";

describe("collect_all lowering", () => {
  it("is a par block with one branch per argument, in argument order", () => {
    const p = ok(`${ITEMS}fn main() {\nlet r = collect_all(|| ok(1),\n ok(2),\n ok(3));\nprintln(r);\n}\n`);
    const pars = nodes(fn(p, "main"), "par") as { branches: { span: { line: number }; result?: unknown }[] }[];
    expect(pars).toHaveLength(1);
    expect(pars[0].branches.map((b) => b.span.line)).toEqual([3, 4, 5]);
    // No branch takes part in Err failure: an Err is a value, it cancels nothing.
    expect(pars[0].branches.every((b) => b.result === undefined)).toBe(true);
  });

  it("collect_all_vec spawns on a TaskGroup and joins every handle", () => {
    const p = ok(`${ITEMS}fn main() {\nlet mut v: Vec[Fn() -> Result[i64, String]] = Vec.new();\nv.push(|| ok(1));\nprintln(collect_all_vec(v));\n}\n`);
    const ops = (nodes(fn(p, "main"), "builtin") as { op: string }[]).map((b) => b.op);
    expect(ops).toContain("taskgroup.new");
    expect(ops).toContain("taskgroup.spawn");
    expect(ops).toContain("taskhandle.join");
  });
});

// The first branch spins until the second one has run; only a second worker running it at the same
// time can release it before the spin bound, so on one worker the first branch reports Err.
const HANDSHAKE = `fn wait_for(flag: ref Atomic[bool]) -> Result[i64, String] {
    let mut spins = 0;
    while not flag.load(MemoryOrdering.SeqCst) {
        spins = spins + 1;
        if spins == 1500000000 { return Err("alone"); }
    }
    Ok(1)
}
fn raise(flag: ref Atomic[bool]) -> Result[i64, String] {
    flag.store(true, MemoryOrdering.SeqCst);
    Ok(2)
}
fn main() {
    let flag: Atomic[bool] = Atomic.new(false);
    let (a, b) = collect_all(|| wait_for(flag), || raise(flag));
    println(f"{a} {b}");
}`;

describe("collect_all on the worker pool", () => {
  it("runs its branches at the same time on 2 workers", async () => {
    const r = await run(HANDSHAKE, 2);
    expect(r.status).toBe("ok");
    expect(r.stdout).toBe("Ok(1) Ok(2)\n");
  });

  it("runs them one after the other on 1 worker (the handshake cannot complete)", async () => {
    const r = await run(HANDSHAKE, 1);
    expect(r.stdout).toBe("Err(alone) Ok(2)\n");
  });
});
