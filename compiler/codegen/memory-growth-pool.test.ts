// The generated allocator growing the shared memory on the real worker pool: several par
// branches allocate at once from a 4 MiB start, so growth (memory.grow under the heap lock)
// races with allocations, frees and reads on other workers. Repeated with random scheduling
// delays; every branch's data must survive intact, and past the limit the run ends with the
// out-of-memory panic naming it.

import { afterAll, describe, expect, it } from "vitest";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import type { RunOptions } from "../../wasm-runtime/api.js";
import { build } from "./test/pipeline.js";

const runner = createNodeRunner(4);
afterAll(() => runner.dispose());

async function runReal(opts: RunOptions) {
  let stdout = "";
  const r = await runner.run({ timeoutMs: 60_000, ...opts, onOutput: (fd, text) => void (fd === 1 ? (stdout += text) : undefined) });
  return { ...r, stdout };
}

/** Branch k fills a Vec[u8] (pushed, so it grows and moves) and a Vec[i64], then checks both. */
function branch(k: number, n: number): string {
  return `{
            let mut bytes: Vec[u8] = Vec.new();
            let mut words: Vec[i64] = Vec.new();
            let mut i = 0;
            while i < ${n} {
                bytes.push(((i * ${k + 1}) % 256) as u8);
                if i % 8 == 0 { words.push(i * ${k}); }
                i += 1;
            }
            let mut s: i64 = 0;
            for b in bytes { s += b as i64; }
            for w in words { s += w; }
            lock sums { sums.push(${k} * 1000000000000 + s); }
        }`;
}

function expectedSum(k: number, n: number): bigint {
  let s = 0n;
  for (let i = 0; i < n; i++) {
    s += BigInt((i * (k + 1)) % 256);
    if (i % 8 === 0) s += BigInt(i * k);
  }
  return BigInt(k) * 1_000_000_000_000n + s;
}

const N = 1_500_000;
const BRANCHES = 4;
const source = `fn main() {
    let sums: Mutex[Vec[i64]] = Mutex.new(Vec.new());
    par {
        ${Array.from({ length: BRANCHES }, (_, k) => branch(k, N)).join("\n        ")}
    }
    let mut all: Vec[i64] = lock sums { sums.clone() };
    all.sort();
    for s in all { println(s); }
}
`;

describe("heap growth on the worker pool", () => {
  it("par branches grow the heap concurrently without losing data (4 workers, 8 runs)", async () => {
    const wasm = build(source);
    const expected = Array.from({ length: BRANCHES }, (_, k) => `${expectedSum(k, N)}\n`).join("");
    for (let i = 0; i < 8; i++) {
      const r = await runReal({ wasm, workers: 4, memoryPages: 64, maxMemoryPages: 4096, jitterUs: i % 2 ? 50 : 0 });
      expect(r.status, r.message).toBe("ok");
      expect(r.stdout).toBe(expected);
    }
  }, 300_000);

  it("ends with out of memory naming the configured maximum", async () => {
    const wasm = build(source);
    const r = await runReal({ wasm, workers: 4, memoryPages: 64, maxMemoryPages: 160 });
    expect(r.status).toBe("panic");
    expect(r.message).toMatch(/out of memory: requested \d+ bytes, limit 10 MiB/);
  }, 120_000);
});
