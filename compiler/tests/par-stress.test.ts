// Stress of the whole path — compiler, scheduler, shared memory — with Kāra source: a `par` of 64
// branches, each doing 1 000 atomic increments, run many times on several pool sizes. Any lost
// update, lost task or hang shows up as a wrong total or a failed run.

import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";

const BRANCHES = 64;
const ADDS = 1000;

function source(): string {
  const branches = Array.from({ length: BRANCHES }, () => "        hammer(counter);").join("\n");
  return `par struct Counter { count: Atomic[i64] }

fn hammer(counter: ref Counter) {
    let mut i = 0;
    while i < ${ADDS} {
        let _ = counter.count.fetch_add(1, MemoryOrdering.Relaxed);
        i = i + 1;
    }
}

fn main() {
    let counter = Counter { count: Atomic.new(0) };
    par {
${branches}
    }
    println(counter.count.load(MemoryOrdering.SeqCst));
}
`;
}

const runner = createNodeRunner(8);
afterAll(() => runner.dispose());

describe("par of 64 branches x 1 000 fetch_adds", () => {
  it("is exact on every run, on 1, 2 and 8 workers", async () => {
    const compiled = await compile(source(), { fileName: "par_stress.kara" });
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const wasm = compiled.wasm!;
    const plan: [workers: number, runs: number][] = [
      [1, 20],
      [2, 200],
      [8, 40],
    ];
    for (const [workers, runs] of plan) {
      for (let run = 0; run < runs; run++) {
        let out = "";
        const result = await runner.run({ wasm, workers, timeoutMs: 20_000, onOutput: (fd, text) => (fd === 1 ? (out += text) : undefined) });
        expect({ workers, run, status: result.status, out }).toEqual({ workers, run, status: "ok", out: `${BRANCHES * ADDS}\n` });
      }
    }
  }, 300_000);
});
