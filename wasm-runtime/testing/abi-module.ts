// Hand-written modules that implement the runtime ABI (compiler/abi.ts), for testing the pool
// without the compiler. Each test supplies task functions in WebAssembly text; the prelude
// provides the exports the runtime calls, a bump allocator, task records and printing.

import binaryen from "binaryen";
import { LAYOUT, TASK } from "../../compiler/abi.js";

export interface TestModuleSpec {
  /** Task functions `(func $name (param $t i32) ...)`; the first one is main. */
  tasks: string[];
  /** Names of the task functions in table order (table index = position). */
  taskNames: string[];
  /** Extra helper functions. */
  helpers?: string;
  /** Passive data segments: name → text (copied to DATA_BASE.. by the first worker). */
  strings?: Record<string, string>;
}

export interface TestModule {
  wasm: Uint8Array;
  /** Address of each string after initialisation. */
  stringAddr: Record<string, number>;
}

const esc = (s: string) =>
  Array.from(new TextEncoder().encode(s))
    .map((b) => "\\" + b.toString(16).padStart(2, "0"))
    .join("");

export function buildTestModule(spec: TestModuleSpec): TestModule {
  const strings = spec.strings ?? {};
  const stringAddr: Record<string, number> = {};
  let at: number = LAYOUT.DATA_BASE;
  const segments: string[] = [];
  const copies: string[] = [];
  for (const [name, text] of Object.entries(strings)) {
    const len = new TextEncoder().encode(text).length;
    stringAddr[name] = at;
    segments.push(`(data $${name} "${esc(text)}")`);
    copies.push(`(memory.init $${name} (i32.const ${at}) (i32.const 0) (i32.const ${len}))`);
    at += (len + 15) & ~15;
  }
  const heapStart = Math.max(65536, (at + 65535) & ~65535);
  const wat = `
(module
  (import "env" "memory" (memory $mem 64 65536 shared))
  (import "kara" "write" (func $write (param i32 i32 i32)))
  (import "kara" "panic" (func $panic (param i32 i32)))
  (import "kara" "fork" (func $fork (param i32)))
  (import "kara" "run_inline" (func $run_inline (param i32)))
  (import "kara" "join" (func $join (param i32)))
  (import "kara" "f64_to_str" (func $f64_to_str (param f64 i32) (result i32)))
  (import "kara" "f64_parse" (func $f64_parse (param i32 i32 i32) (result i32)))
  (import "kara" "wait" (func $wait (param i32 i32)))
  (import "kara" "notify" (func $notify (param i32 i32)))
  (import "kara" "now_ns" (func $now_ns (result i64)))
  (type $task_fn (func (param i32)))
  (table $tasks ${spec.taskNames.length} funcref)
  (elem (table $tasks) (i32.const 0) func ${spec.taskNames.map((n) => "$" + n).join(" ")})
  ${segments.join("\n  ")}
  (global $cur (mut i32) (i32.const 0))
  (global $scratch (mut i32) (i32.const 0))

  ;; Bump allocator: the next free address lives at RT_PRIVATE.
  (func $alloc (param $size i32) (result i32)
    (i32.atomic.rmw.add (i32.const ${LAYOUT.RT_PRIVATE})
      (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))

  (func $new_task (param $fn i32) (param $env i32) (param $kind i32) (param $line i32) (result i32)
    (local $t i32)
    (local.set $t (call $alloc (i32.const ${TASK.SIZE})))
    (i32.store offset=${TASK.FN} (local.get $t) (local.get $fn))
    (i32.store offset=${TASK.ENV} (local.get $t) (local.get $env))
    (i32.store offset=${TASK.KIND} (local.get $t) (local.get $kind))
    (i32.store offset=${TASK.LINE} (local.get $t) (local.get $line))
    (i32.store offset=${TASK.ID} (local.get $t)
      (i32.add (i32.atomic.rmw.add (i32.const ${LAYOUT.NEXT_TASK_ID}) (i32.const 1)) (i32.const 1)))
    (if (global.get $cur)
      (then (i32.store offset=${TASK.PARENT} (local.get $t) (i32.load offset=${TASK.ID} (global.get $cur)))))
    (i32.atomic.store offset=${TASK.STATE} (local.get $t) (i32.const 0))
    (local.get $t))

  (func (export "__init") (param $id i32) (param $n i32) (param $first i32)
    (if (local.get $first)
      (then
        ${copies.join("\n        ")}
        (i32.atomic.store (i32.const ${LAYOUT.RT_PRIVATE}) (i32.const ${heapStart}))))
    (global.set $scratch (call $alloc (i32.const 512))))

  (func (export "__main") (result i32)
    (call $new_task (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))

  (func (export "__run_task") (param $t i32)
    (local $saved i32)
    (local.set $saved (global.get $cur))
    (global.set $cur (local.get $t))
    (call_indirect (type $task_fn) (local.get $t) (i32.load offset=${TASK.FN} (local.get $t)))
    (global.set $cur (local.get $saved)))

  ;; Prints an integer (exact below 2^53) and a newline, through f64_to_str.
  (func $print_i64 (param $v i64)
    (local $len i32)
    (local.set $len (call $f64_to_str (f64.convert_i64_s (local.get $v)) (global.get $scratch)))
    (i32.store8 (i32.add (global.get $scratch) (local.get $len)) (i32.const 10))
    (call $write (i32.const 1) (global.get $scratch) (i32.add (local.get $len) (i32.const 1))))

  (func $print_str (param $ptr i32) (param $len i32)
    (call $write (i32.const 1) (local.get $ptr) (local.get $len)))

  ;; Busy-waits for about n iterations (a CPU-bound delay).
  (func $spin (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $acc))

  ;; A pseudo-random number from a seed (xorshift), for delays that shake schedules.
  (func $rand (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
    (i32.and (local.get $x) (i32.const 0x7fffffff)))

  ${spec.helpers ?? ""}
  ${spec.tasks.join("\n  ")}
)`;
  const mod = binaryen.parseText(wat);
  try {
    mod.setFeatures(binaryen.Features.Atomics | binaryen.Features.BulkMemory | binaryen.Features.BulkMemoryOpt | binaryen.Features.MutableGlobals | binaryen.Features.SignExt);
    if (!mod.validate()) throw new Error("test module does not validate:\n" + wat);
    return { wasm: mod.emitBinary(), stringAddr };
  } finally {
    mod.dispose();
  }
}
