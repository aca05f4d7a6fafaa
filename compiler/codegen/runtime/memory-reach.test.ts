// One thread grows the shared memory and publishes an address in the new page; another, polling
// for it inside wasm (many polls between stack checks, so it rarely handles the engine's growth
// interrupt first), fills, copies and atomically updates that address at once. Built through
// installMemoryReach, none of those accesses may trap. The same module built without it is the
// control: there the polling thread's `memory.size` lags and, on V8, bulk and baseline-tier
// atomic accesses trap with "memory access out of bounds" (it is not asserted: it depends on
// the engine and on timing).

import binaryen from "binaryen";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { installMemoryReach } from "./memory-reach.js";

const GROWTHS = 600;
const POLLS = 200;
// Words: [0] generation published, [1] address in the new page, [2] generation acknowledged.
const FLAG = 0;
const ADDR = 4;
const ACK = 8;

function buildModule(guarded: boolean): Uint8Array {
  const m = new binaryen.Module();
  if (guarded) installMemoryReach(m, "mem");
  m.setFeatures(binaryen.Features.All);
  const i32 = binaryen.i32;
  const addr = () => m.i32.atomic.load(0, m.i32.const(ADDR), "mem");
  const polls = Array.from({ length: POLLS }, () => m.br("got", m.i32.eq(m.i32.atomic.load(0, m.i32.const(FLAG), "mem"), m.local.get(0, i32))));
  m.addFunction("grow", binaryen.createType([i32]), i32, [], m.memory.grow(m.local.get(0, i32), "mem"));
  // touch(generation) -> 1 when this instance's memory.size did not cover the address yet.
  m.addFunction(
    "touch",
    binaryen.createType([i32]),
    i32,
    [i32],
    m.block(null, [
      m.block("got", [m.loop("poll", m.block(null, [...polls, m.br("poll")]))]),
      m.local.set(1, m.i32.gt_u(m.i32.add(addr(), m.i32.const(64)), m.i32.shl(m.memory.size("mem"), m.i32.const(16)))),
      m.memory.fill(addr(), m.i32.const(7), m.i32.const(16), "mem"),
      m.memory.copy(m.i32.add(addr(), m.i32.const(32)), addr(), m.i32.const(16), "mem", "mem"),
      m.drop(m.i32.atomic.rmw.add(16, addr(), m.i32.const(1), "mem")),
      m.i32.atomic.store(20, addr(), m.i32.const(5), "mem"),
      m.local.get(1, i32),
    ], i32),
  );
  m.addFunctionExport("grow", "grow");
  m.addFunctionExport("touch", "touch");
  m.setMemory(1, GROWTHS + 2, null, [], true, false, "mem");
  m.addMemoryImport("mem", "env", "memory", true);
  expect(m.validate()).toBeTruthy();
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

const toucher = `
const { parentPort, workerData } = require("node:worker_threads");
const { bytes, memory, growths } = workerData;
const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
let traps = 0, lagging = 0, message = "";
parentPort.postMessage("ready");
for (let g = 1; g <= growths; g++) {
  try { lagging += wasm.touch(g); } catch (e) { traps++; message = String(e); }
  Atomics.store(new Int32Array(memory.buffer), ${ACK / 4}, g);
}
parentPort.postMessage({ traps, lagging, message });
`;

async function race(guarded: boolean): Promise<{ traps: number; lagging: number; message: string; bad: number }> {
  const bytes = buildModule(guarded);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: GROWTHS + 2, shared: true });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), { env: { memory } });
  const grow = exports.grow as (pages: number) => number;
  const worker = new Worker(toucher, { eval: true, workerData: { bytes, memory, growths: GROWTHS } });
  const messages: unknown[] = [];
  let wake = () => {};
  let failed: unknown;
  worker.on("message", (msg) => { messages.push(msg); wake(); });
  worker.once("error", (e) => { failed = e; wake(); });
  const next = async () => {
    while (!messages.length && failed === undefined) await new Promise<void>((r) => (wake = r));
    if (failed !== undefined) throw failed;
    return messages.shift();
  };
  expect(await next()).toBe("ready");
  let bad = 0;
  // The worker may fail to start; this thread blocks while it waits, so it watches the time.
  const deadline = Date.now() + 60_000;
  for (let g = 1; g <= GROWTHS && Date.now() < deadline; g++) {
    const at = grow(1) * 65536 + 128;
    const words = new Int32Array(memory.buffer);
    Atomics.store(words, ADDR / 4, at);
    Atomics.store(words, FLAG / 4, g);
    while (Atomics.load(new Int32Array(memory.buffer), ACK / 4) !== g && Date.now() < deadline) Atomics.wait(words, 3, 0, 0.01);
    // The accesses must have landed: 16 bytes of 7, their copy, then the two atomic words.
    const bytesNow = new Uint8Array(memory.buffer);
    const view = new DataView(memory.buffer);
    for (let i = 0; i < 16; i++) if (bytesNow[at + 32 + i] !== 7) bad++;
    if (view.getInt32(at + 20, true) !== 5) bad++;
  }
  const result = (await next()) as { traps: number; lagging: number; message: string };
  await worker.terminate();
  return { ...result, bad };
}

describe("accesses to pages another thread has just grown", () => {
  it(`never trap when built through installMemoryReach (${GROWTHS} growths)`, async () => {
    const control = await race(false);
    const guarded = await race(true);
    // Printed for the record: how often the unguarded build lagged and trapped on this engine.
    console.log(`unguarded: ${control.lagging} lagging, ${control.traps} traps; guarded: ${guarded.lagging} lagging, ${guarded.traps} traps`);
    expect({ traps: guarded.traps, message: guarded.message, bad: guarded.bad }).toEqual({ traps: 0, message: "", bad: 0 });
    // The race was met: the polling thread saw the address before its memory.size covered it.
    expect(guarded.lagging).toBeGreaterThan(0);
  }, 120_000);
});
