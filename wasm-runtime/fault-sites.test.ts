// Naming the places of faults: the site table read from a module, stack-trace frames mapped to
// Kāra functions, creation sites of locks and channels in deadlock reports, and the position of
// a run read from its control buffer (the timeout message).

import { describe, expect, it } from "vitest";
import { CHANNEL, SITE_TABLE_SECTION, SYNC_SITE, TASK, TaskKind, type SiteTable } from "../compiler/abi.js";
import { deadlockReport } from "./deadlock.js";
import { FaultSites } from "./fault-sites.js";
import { MemoryViews } from "./memory-views.js";
import { WaitKind, WSLOT, controlLayout } from "./protocol.js";
import { runPosition, timeoutMessage } from "./run-position.js";

const TABLE: SiteTable = {
  functions: { "f0:main": ["main", 7], "f1:recurse": ["recurse", 1], "f2:main$par3": ["main", 7], __main_task: ["main", 7] },
  table: ["rt_null_fn", "__main_task", "task:f2:main$par3"],
  sync: [
    ["mutex", "counter", 8],
    ["channel", "(tx, rx)", 9],
    ["mutex", "", 12],
  ],
};

/** A module with nothing but a custom section. */
function moduleWithSection(name: string, payload: Uint8Array): WebAssembly.Module {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb(nameBytes.length), ...nameBytes, ...payload];
  return new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, ...leb(body.length), ...body]));
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

const sites = FaultSites.fromModule(moduleWithSection(SITE_TABLE_SECTION, new TextEncoder().encode(JSON.stringify(TABLE))));

describe("site table", () => {
  it("maps wasm function names, task slots and V8 stack frames to Kāra functions", () => {
    expect(sites.functionNamed("f1:recurse")).toEqual({ name: "recurse", line: 1 });
    expect(sites.functionNamed("rt_alloc")).toBeUndefined();
    expect(sites.taskFunction(1)).toEqual({ name: "main", line: 7 });
    expect(sites.taskFunction(2)).toEqual({ name: "main", line: 7 }); // a par branch's wrapper
    expect(sites.taskFunction(9)).toBeUndefined();
    const stack = [
      "RangeError: Maximum call stack size exceeded",
      "    at rt_alloc (wasm://wasm/0a1b2c3d:wasm-function[4]:0x120)",
      "    at f1:recurse (wasm://wasm/0a1b2c3d:wasm-function[9]:0x2c3)",
      "    at f0:main (wasm://wasm/0a1b2c3d:wasm-function[8]:0x200)",
    ].join("\n");
    expect(sites.innermostFunction(stack)).toEqual({ name: "recurse", line: 1 });
    expect(sites.innermostFunction("f1:recurse@wasm://wasm/0a1b2c3d:wasm-function[9]:0x2c3")).toEqual({ name: "recurse", line: 1 });
    expect(sites.innermostFunction("    at run (file:///host.js:1:1)")).toBeUndefined();
  });

  it("a module without a table, or with a broken one, names nothing", () => {
    const bare = FaultSites.fromModule(moduleWithSection("other", new Uint8Array([1, 2])));
    expect(bare.functionNamed("f1:recurse")).toBeUndefined();
    expect(bare.innermostFunction("    at f1:recurse (wasm://wasm/0:wasm-function[9]:0x2c3)")).toBeUndefined();
    const broken = FaultSites.fromModule(moduleWithSection(SITE_TABLE_SECTION, new TextEncoder().encode("{not json")));
    expect(broken.taskFunction(1)).toBeUndefined();
  });

  it("names creation sites only for words that carry the site tag", () => {
    expect(sites.syncSite((SYNC_SITE.TAG | 0) >>> 0)).toBe("mutex counter (created at line 8)");
    expect(sites.syncSite((SYNC_SITE.TAG | 2) >>> 0)).toBe("mutex (created at line 12)");
    expect(sites.syncSite((SYNC_SITE.TAG | 7) >>> 0)).toBeUndefined(); // no such site
    expect(sites.syncSite(2)).toBeUndefined(); // an untagged word, e.g. a counter
    expect(sites.syncSite(0)).toBeUndefined();
  });
});

const MAIN = 4096;
const BRANCH = 4160;
const LOCK = 8192;
const CHAN = 12288;

/** Two workers: main joins a branch; the branch waits on `waitAddr`. */
function run(waitAddr: number) {
  const layout = controlLayout(2);
  const ctl = new Int32Array(new SharedArrayBuffer(layout.totalBytes));
  const slots = [
    [MAIN, WaitKind.Join, BRANCH],
    [BRANCH, WaitKind.Wait, waitAddr],
  ];
  slots.forEach(([task, kind, arg], w) => {
    const s = layout.slotBase(w);
    ctl[s + WSLOT.CURRENT_TASK] = task;
    ctl[s + WSLOT.WAIT_KIND] = kind;
    ctl[s + WSLOT.WAIT_ARG] = arg;
  });
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const mem32 = new Int32Array(memory.buffer);
  const task = (addr: number, id: number, kind: number, line: number, slot: number) => {
    mem32[(addr + TASK.ID) >>> 2] = id;
    mem32[(addr + TASK.KIND) >>> 2] = kind;
    mem32[(addr + TASK.LINE) >>> 2] = line;
    mem32[(addr + TASK.FN) >>> 2] = slot;
  };
  task(MAIN, 1, TaskKind.Main, 7, 1);
  task(BRANCH, 2, TaskKind.ParBranch, 10, 2);
  mem32[(LOCK + SYNC_SITE.MUTEX) >>> 2] = SYNC_SITE.TAG | 0;
  mem32[(CHAN + CHANNEL.TAG) >>> 2] = CHANNEL.MAGIC;
  mem32[(CHAN + SYNC_SITE.CHANNEL) >>> 2] = SYNC_SITE.TAG | 1;
  return { ctl, layout, views: new MemoryViews(memory) };
}

describe("places in reports", () => {
  it("a deadlock report names a mutex and a channel by variable and creation line", () => {
    const lock = run(LOCK);
    expect(deadlockReport(lock.ctl, lock.layout, lock.views, sites)).toContain(
      "task 2 (par, line 10) waits to lock mutex counter (created at line 8)",
    );
    const chan = run(CHAN);
    expect(deadlockReport(chan.ctl, chan.layout, chan.views, sites)).toContain(
      "task 2 (par, line 10) waits to receive on channel (tx, rx) (created at line 9)",
    );
    // Without a site table the report falls back to addresses.
    expect(deadlockReport(lock.ctl, lock.layout, lock.views)).toContain(`waits on address ${LOCK}`);
  });

  it("the timeout message names each worker's task, its function and what it waits for", () => {
    const r = run(LOCK);
    const position = runPosition(r.ctl, r.layout, r.views, sites);
    expect(position).toEqual([
      "task 1 (main, line 7) in main (declared at line 7), waiting for task 2 (par, line 10)",
      "task 2 (par, line 10) in main (declared at line 7), waiting on a lock or channel",
    ]);
    expect(timeoutMessage("2 s", position)).toBe(`timed out after 2 s while running ${position.join("; ")}`);
    expect(timeoutMessage("2 s", [])).toBe("timed out after 2 s");
  });
});
