// The heap grows the shared memory on demand (memory.grow) instead of failing at its initial
// size, and only a configured limit (LAYOUT.MEMORY_LIMIT_PAGES, else the memory's maximum) ends
// a run with `out of memory`. Each program starts from 4 MiB (64 pages), so every large
// allocation below needs growth. Sizes are also a check of the element layout: a byte-wide
// Vec[u8]/Vec[bool] of N elements must fit in about N bytes of memory.

import { describe, expect, it } from "vitest";
import { run } from "./test/pipeline.js";

const MiB = 1024 * 1024;

describe("memory growth", () => {
  it("allocates a 200 MB Vec[u8] from a 4 MiB start", () => {
    const n = 200_000_000;
    const step = 4099;
    const r = run(
      `fn main() {
    let n = ${n};
    let mut v = Vec.filled(n, 1 as u8);
    let mut i = 0;
    while i < n {
        v[i] = (i % 251) as u8;
        i += ${step};
    }
    let mut sum: u64 = 0;
    let mut k = 0;
    while k < n {
        sum += v[k] as u64;
        k += 1024;
    }
    println(v.len());
    println(sum);
    println(v[n - 1]);
}
`,
      { pages: 64 },
    );
    const v = (i: number) => (i % step === 0 ? i % 251 : 1);
    let sum = 0n;
    for (let k = 0; k < n; k += 1024) sum += BigInt(v(k));
    expect(r.stdout).toBe(`${n}\n${sum}\n${v(n - 1)}\n`);
    expect(r.exitCode).toBe(0);
    // One byte per element: the block is a 256 MiB size class, far below 4-byte slots' 800 MB.
    expect(r.memory.buffer.byteLength).toBeGreaterThan(256 * MiB);
    expect(r.memory.buffer.byteLength).toBeLessThan(400 * MiB);
  }, 60_000);

  it("grows while a Vec[u8] is pushed one byte at a time", () => {
    const n = 10_000_000;
    const r = run(
      `fn main() {
    let mut v: Vec[u8] = Vec.new();
    let mut i = 0;
    while i < ${n} {
        v.push((i % 251) as u8);
        i += 1;
    }
    let mut sum: u64 = 0;
    for x in v { sum += x as u64; }
    println(sum);
}
`,
      { pages: 64 },
    );
    let sum = 0n;
    for (let i = 0; i < n; i++) sum += BigInt(i % 251);
    expect(r.stdout).toBe(`${sum}\n`);
    // Doubling blocks up to 16 MiB (the freed smaller ones stay on their free lists).
    expect(r.memory.buffer.byteLength).toBeLessThan(40 * MiB);
  }, 60_000);

  it("runs a sieve over a 20M-element Vec[bool]", () => {
    const n = 20_000_000;
    const r = run(
      `fn main() {
    let n = ${n};
    let mut composite = Vec.filled(n + 1, false);
    let mut count = 0;
    let mut p = 2;
    while p <= n {
        if not composite[p] {
            count += 1;
            let mut k = p * p;
            while k <= n {
                composite[k] = true;
                k += p;
            }
        }
        p += 1;
    }
    println(count);
}
`,
      { pages: 64 },
    );
    // π(2·10⁷) = 1 270 607.
    expect(r.stdout).toBe("1270607\n");
    expect(r.exitCode).toBe(0);
    // One byte per flag: the 20 MB block is a 32 MiB size class.
    expect(r.memory.buffer.byteLength).toBeLessThan(48 * MiB);
  }, 120_000);

  it("ends an endless allocation with out of memory naming the limit", () => {
    const r = run(
      `fn main() {
    let mut keep: Vec[Vec[i64]] = Vec.new();
    while true {
        keep.push(Vec.filled(100000, 7));
    }
}
`,
      { pages: 64, limitPages: 1024 },
    );
    expect(r.stdout).toMatch(/^panic: out of memory: requested \d+ bytes, limit 64 MiB\n$/);
    expect(r.exitCode).toBe(1);
    // It grew up to the limit, not past it.
    expect(r.memory.buffer.byteLength).toBeGreaterThan(48 * MiB);
    expect(r.memory.buffer.byteLength).toBeLessThanOrEqual(64 * MiB);
  });

  it("names the requested size when one allocation exceeds the limit", () => {
    const r = run(
      `fn main() {
    let v: Vec[u8] = Vec.with_capacity(100000000);
    println(v.len());
}
`,
      { pages: 64, limitPages: 1024 },
    );
    expect(r.stdout).toBe("panic: out of memory: requested 100000000 bytes, limit 64 MiB\n");
    expect(r.exitCode).toBe(1);
  });

  it("reports a request too large for 32-bit memory without wrapping around", () => {
    const r = run(
      `fn main() {
    let v: Vec[i64] = Vec.with_capacity(1000000000);
    println(v.len());
}
`,
      { pages: 64, limitPages: 1024 },
    );
    expect(r.stdout).toBe("panic: out of memory: requested 8000000000 bytes, limit 64 MiB\n");
  });

  it("formats limits that are not whole MiB in KiB", () => {
    const r = run(`fn main() { let v: Vec[u8] = Vec.with_capacity(10000000); println(v.len()); }\n`, { pages: 64, limitPages: 100 });
    expect(r.stdout).toBe("panic: out of memory: requested 10000000 bytes, limit 6400 KiB\n");
  });
});
