// Test programs written against the ABI by hand. Each returns wasm bytes; the expected
// output is computed by the test from the same parameters, never hard-coded.

import { LAYOUT, TASK, TaskKind, TaskState } from "../../compiler/abi.js";
import { buildTestModule } from "./abi-module.js";

const RESULT = TASK.RESULT;
const ENV = TASK.ENV;

/**
 * main forks `tasks` tasks that each add 1 to one shared i64 counter `adds` times (with a
 * random busy-wait of up to `maxDelay` iterations before each batch), joins them all, and
 * prints the counter.
 */
export function counterProgram(tasks: number, adds: number, maxDelay = 0): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "adder"],
    tasks: [
      `(func $main (param $t i32)
        (local $counter i32) (local $handles i32) (local $i i32)
        (local.set $counter (call $alloc (i32.const 8)))
        (local.set $handles (call $alloc (i32.const ${tasks * 4})))
        (local.set $i (i32.const 0))
        (loop $fork
          (i32.store (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))
            (call $new_task (i32.const 1) (local.get $counter) (i32.const ${TaskKind.ParBranch}) (i32.const 10)))
          (call $fork (i32.load (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $fork (i32.lt_u (local.get $i) (i32.const ${tasks}))))
        (local.set $i (i32.const 0))
        (loop $join
          (call $join (i32.load (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $join (i32.lt_u (local.get $i) (i32.const ${tasks}))))
        (call $print_i64 (i64.atomic.load (local.get $counter))))`,
      `(func $adder (param $t i32)
        (local $counter i32) (local $i i32) (local $seed i32)
        (local.set $counter (i32.load offset=${ENV} (local.get $t)))
        (local.set $seed (i32.add (i32.mul (i32.load offset=${TASK.ID} (local.get $t)) (i32.const 7919))
          (i32.wrap_i64 (call $now_ns))))
        (local.set $i (i32.const 0))
        (loop $add
          (if (i32.and (i32.eqz (i32.and (local.get $i) (i32.const 255))) (i32.const ${maxDelay > 0 ? 1 : 0}))
            (then
              (local.set $seed (call $rand (i32.or (local.get $seed) (i32.const 1))))
              (drop (call $spin (i32.rem_u (local.get $seed) (i32.const ${Math.max(1, maxDelay)}))))))
          (drop (i64.atomic.rmw.add (local.get $counter) (i64.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $add (i32.lt_u (local.get $i) (i32.const ${adds})))))`,
    ],
  }).wasm;
}

/**
 * A par-shaped tree: every node with depth > 0 has `width` children; it forks children 2..width,
 * runs child 1 inline, and joins the rest (how codegen lowers `par`). Leaves add 1 to a counter.
 */
export function nestedParProgram(depth: number, width: number, maxDelay = 0): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "node"],
    helpers: `
      ;; env layout: [counter ptr][depth]
      (func $make_node (param $counter i32) (param $depth i32) (result i32)
        (local $env i32)
        (local.set $env (call $alloc (i32.const 8)))
        (i32.store (local.get $env) (local.get $counter))
        (i32.store offset=4 (local.get $env) (local.get $depth))
        (call $new_task (i32.const 1) (local.get $env) (i32.const ${TaskKind.ParBranch}) (local.get $depth)))`,
    tasks: [
      `(func $main (param $t i32)
        (local $counter i32) (local $root i32)
        (local.set $counter (call $alloc (i32.const 8)))
        (local.set $root (call $make_node (local.get $counter) (i32.const ${depth})))
        (call $fork (local.get $root))
        (call $join (local.get $root))
        (call $print_i64 (i64.atomic.load (local.get $counter))))`,
      `(func $node (param $t i32)
        (local $env i32) (local $depth i32) (local $kids i32) (local $i i32)
        (local.set $env (i32.load offset=${ENV} (local.get $t)))
        (local.set $depth (i32.load offset=4 (local.get $env)))
        (drop (call $spin (i32.rem_u (call $rand (i32.add (i32.load offset=${TASK.ID} (local.get $t)) (i32.wrap_i64 (call $now_ns))))
          (i32.const ${Math.max(1, maxDelay)}))))
        (if (i32.eqz (local.get $depth))
          (then
            (drop (i64.atomic.rmw.add (i32.load (local.get $env)) (i64.const 1)))
            (return)))
        (local.set $kids (call $alloc (i32.const ${width * 4})))
        (local.set $i (i32.const 0))
        (loop $mk
          (i32.store (i32.add (local.get $kids) (i32.shl (local.get $i) (i32.const 2)))
            (call $make_node (i32.load (local.get $env)) (i32.sub (local.get $depth) (i32.const 1))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $mk (i32.lt_u (local.get $i) (i32.const ${width}))))
        (local.set $i (i32.const ${width - 1}))
        (loop $fk
          (if (i32.gt_u (local.get $i) (i32.const 0))
            (then
              (call $fork (i32.load (i32.add (local.get $kids) (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $i (i32.sub (local.get $i) (i32.const 1)))
              (br $fk))))
        (call $run_inline (i32.load (local.get $kids)))
        (local.set $i (i32.const 1))
        (loop $jn
          (if (i32.lt_u (local.get $i) (i32.const ${width}))
            (then
              (call $join (i32.load (i32.add (local.get $kids) (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $jn)))))`,
    ],
  }).wasm;
}

/**
 * fib(n) with a fork at every level: fork fib(n-2), run fib(n-1) inline, join, add the
 * results from the task records. `work` adds a CPU-bound busy loop to every leaf.
 */
export function fibProgram(n: number, work = 0): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "fib"],
    tasks: [
      `(func $main (param $t i32)
        (local $root i32)
        (local.set $root (call $new_task (i32.const 1) (i32.const ${n}) (i32.const ${TaskKind.ParBranch}) (i32.const 1)))
        (call $run_inline (local.get $root))
        (call $print_i64 (i64.load offset=${RESULT} (local.get $root))))`,
      `(func $fib (param $t i32)
        (local $n i32) (local $a i32) (local $b i32)
        (local.set $n (i32.load offset=${ENV} (local.get $t)))
        (if (i32.lt_s (local.get $n) (i32.const 2))
          (then
            (drop (call $spin (i32.const ${work})))
            (i64.store offset=${RESULT} (local.get $t) (i64.extend_i32_s (local.get $n)))
            (return)))
        (local.set $a (call $new_task (i32.const 1) (i32.sub (local.get $n) (i32.const 1)) (i32.const ${TaskKind.ParBranch}) (i32.const 2)))
        (local.set $b (call $new_task (i32.const 1) (i32.sub (local.get $n) (i32.const 2)) (i32.const ${TaskKind.ParBranch}) (i32.const 3)))
        (call $fork (local.get $b))
        (call $run_inline (local.get $a))
        (call $join (local.get $b))
        (i64.store offset=${RESULT} (local.get $t)
          (i64.add (i64.load offset=${RESULT} (local.get $a)) (i64.load offset=${RESULT} (local.get $b)))))`,
    ],
  }).wasm;
}

/**
 * main prints `before`, then a chain of tasks `depth` levels deep; the deepest panics with
 * `message`. `siblings` extra tasks spin on the side so other workers are busy when it happens.
 */
export function panicProgram(before: string, message: string, depth: number, siblings = 0): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "level", "sibling"],
    strings: { before, message },
    helpers: "",
    tasks: [
      `(func $main (param $t i32)
        (local $child i32) (local $i i32)
        (call $print_str (i32.const ${addrOf(0)}) (i32.const ${byteLen(before)}))
        (local.set $i (i32.const 0))
        (block $done (loop $sib
          (br_if $done (i32.ge_u (local.get $i) (i32.const ${siblings})))
          (call $fork (call $new_task (i32.const 2) (i32.const 0) (i32.const ${TaskKind.Spawn}) (i32.const 5)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $sib)))
        (local.set $child (call $new_task (i32.const 1) (i32.const ${depth}) (i32.const ${TaskKind.ParBranch}) (i32.const 3)))
        (call $fork (local.get $child))
        (call $join (local.get $child))
        (call $print_str (i32.const ${addrOf(0)}) (i32.const ${byteLen(before)})))`,
      `(func $level (param $t i32)
        (local $child i32) (local $d i32)
        (local.set $d (i32.load offset=${ENV} (local.get $t)))
        (if (i32.le_s (local.get $d) (i32.const 1))
          (then (call $panic (i32.const ${addrOf(1, before)}) (i32.const ${byteLen(message)}))))
        (local.set $child (call $new_task (i32.const 1) (i32.sub (local.get $d) (i32.const 1)) (i32.const ${TaskKind.ParBranch}) (i32.const 4)))
        (call $fork (local.get $child))
        (call $join (local.get $child)))`,
      `(func $sibling (param $t i32)
        (local $i i32)
        (loop $l
          (drop (call $spin (i32.const 10000)))
          (call $wait (i32.const 8) (i32.const 1))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 100000)))))`,
    ],
  }).wasm;
}

/**
 * main prints -1, forks `tasks` tasks; task k prints k*100000+i for i < lines, one write per
 * line, with random delays; main joins them all and prints -2.
 */
export function outputProgram(tasks: number, lines: number, maxDelay: number): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "printer"],
    tasks: [
      `(func $main (param $t i32)
        (local $handles i32) (local $i i32)
        (call $print_i64 (i64.const -1))
        (local.set $handles (call $alloc (i32.const ${tasks * 4})))
        (loop $fork
          (i32.store (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))
            (call $new_task (i32.const 1) (local.get $i) (i32.const ${TaskKind.Spawn}) (i32.const 20)))
          (call $fork (i32.load (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $fork (i32.lt_u (local.get $i) (i32.const ${tasks}))))
        (local.set $i (i32.const 0))
        (loop $join
          (call $join (i32.load (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $join (i32.lt_u (local.get $i) (i32.const ${tasks}))))
        (call $print_i64 (i64.const -2)))`,
      `(func $printer (param $t i32)
        (local $k i32) (local $i i32) (local $seed i32)
        (local.set $k (i32.load offset=${ENV} (local.get $t)))
        (local.set $seed (i32.or (i32.wrap_i64 (call $now_ns)) (i32.const 1)))
        (loop $l
          (local.set $seed (call $rand (i32.add (local.get $seed) (local.get $k))))
          (drop (call $spin (i32.rem_u (local.get $seed) (i32.const ${Math.max(1, maxDelay)}))))
          (call $print_i64 (i64.extend_i32_s (i32.add (i32.mul (local.get $k) (i32.const 100000)) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const ${lines})))))`,
    ],
  }).wasm;
}

/** main writes `count` blocks of `blockSize` bytes ('a'..., newline-terminated) to fd. */
export function bigOutputProgram(count: number, blockSize: number, fd: 1 | 2 = 1): Uint8Array {
  return buildTestModule({
    taskNames: ["main"],
    tasks: [
      `(func $main (param $t i32)
        (local $buf i32) (local $i i32)
        (local.set $buf (call $alloc (i32.const ${blockSize})))
        (loop $fill
          (i32.store8 (i32.add (local.get $buf) (local.get $i)) (i32.const 97))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $fill (i32.lt_u (local.get $i) (i32.const ${blockSize}))))
        (local.set $i (i32.const 0))
        (i32.store8 (i32.add (local.get $buf) (i32.const ${blockSize - 1})) (i32.const 10))
        (loop $l
          (call $write (i32.const ${fd}) (local.get $buf) (i32.const ${blockSize}))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const ${count})))))`,
    ],
  }).wasm;
}

/** main prints 7 and then loops forever without calling the host. */
export function spinForeverProgram(): Uint8Array {
  return buildTestModule({
    taskNames: ["main"],
    tasks: [
      `(func $main (param $t i32)
        (call $print_i64 (i64.const 7))
        (loop $l (br $l)))`,
    ],
  }).wasm;
}

/**
 * main forks a task that waits on a word nobody ever changes, then joins it: a deadlock.
 * With `direct`, main itself waits instead.
 */
export function deadlockProgram(direct: boolean): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "stuck"],
    tasks: [
      `(func $main (param $t i32)
        (local $word i32) (local $child i32)
        (local.set $word (call $alloc (i32.const 4)))
        (call $print_i64 (i64.const 1))
        ${
          direct
            ? `(loop $l (call $wait (local.get $word) (i32.const 0)) (br_if $l (i32.eqz (i32.atomic.load (local.get $word)))))`
            : `(local.set $child (call $new_task (i32.const 1) (local.get $word) (i32.const ${TaskKind.ParBranch}) (i32.const 12)))
               (call $fork (local.get $child))
               (call $join (local.get $child))`
        })`,
      `(func $stuck (param $t i32)
        (local $word i32)
        (local.set $word (i32.load offset=${ENV} (local.get $t)))
        (loop $l (call $wait (local.get $word) (i32.const 0)) (br_if $l (i32.eqz (i32.atomic.load (local.get $word))))))`,
    ],
  }).wasm;
}

/** main forks a task that traps (unreachable) after printing 5; main joins it. */
export function trapProgram(): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "bad"],
    tasks: [
      `(func $main (param $t i32)
        (local $child i32)
        (local.set $child (call $new_task (i32.const 1) (i32.const 0) (i32.const ${TaskKind.ParBranch}) (i32.const 4)))
        (call $fork (local.get $child))
        (call $join (local.get $child))
        (call $print_i64 (i64.const 6)))`,
      `(func $bad (param $t i32)
        (call $print_i64 (i64.const 5))
        (unreachable))`,
    ],
  }).wasm;
}

/** Parses the text with f64_parse and prints the value through f64_to_str; prints "err" on failure. */
export function floatRoundTripProgram(text: string): Uint8Array {
  const len = byteLen(text);
  return buildTestModule({
    taskNames: ["main"],
    strings: { text: text.length ? text : " ", err: "err\n" },
    tasks: [
      `(func $main (param $t i32)
        (local $out i32) (local $len i32)
        (local.set $out (call $alloc (i32.const 8)))
        (if (i32.eqz (call $f64_parse (i32.const ${addrOf(0)}) (i32.const ${len}) (local.get $out)))
          (then (call $print_str (i32.const ${addrOf(1, text.length ? text : " ")}) (i32.const 4)) (return)))
        (local.set $len (call $f64_to_str (f64.load (local.get $out)) (global.get $scratch)))
        (call $print_str (global.get $scratch) (local.get $len)))`,
    ],
  }).wasm;
}

/**
 * main forks `tasks` tasks that busy-wait a random time and print their index; the task with
 * index `failing` panics with `message` instead. Whatever the schedule, the run must end.
 */
export function panicAmongProgram(tasks: number, failing: number, message: string, maxDelay: number): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "worker"],
    strings: { message },
    tasks: [
      `(func $main (param $t i32)
        (local $handles i32) (local $i i32)
        (local.set $handles (call $alloc (i32.const ${tasks * 4})))
        (loop $fork
          (i32.store (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))
            (call $new_task (i32.const 1) (local.get $i) (i32.const ${TaskKind.ParBranch}) (i32.const 9)))
          (call $fork (i32.load (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $fork (i32.lt_u (local.get $i) (i32.const ${tasks}))))
        (local.set $i (i32.const 0))
        (loop $join
          (call $join (i32.load (i32.add (local.get $handles) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $join (i32.lt_u (local.get $i) (i32.const ${tasks}))))
        (call $print_i64 (i64.const -1)))`,
      `(func $worker (param $t i32)
        (local $k i32)
        (local.set $k (i32.load offset=${ENV} (local.get $t)))
        (drop (call $spin (i32.rem_u (call $rand (i32.or (i32.add (i32.wrap_i64 (call $now_ns)) (local.get $k)) (i32.const 1)))
          (i32.const ${Math.max(1, maxDelay)}))))
        (if (i32.eq (local.get $k) (i32.const ${failing}))
          (then (call $panic (i32.const ${addrOf(0)}) (i32.const ${byteLen(message)}))))
        (call $print_i64 (i64.extend_i32_u (local.get $k))))`,
    ],
  }).wasm;
}

/**
 * Two par branches that meet: main forks branch b, runs branch a inline; a waits (through the
 * wait import) until b has stored 1 into a shared word and notified. Prints 42 from b's side.
 */
export function rendezvousProgram(): Uint8Array {
  return buildTestModule({
    taskNames: ["main", "a", "b"],
    tasks: [
      `(func $main (param $t i32)
        (local $word i32) (local $a i32) (local $b i32)
        (local.set $word (call $alloc (i32.const 16)))
        (local.set $a (call $new_task (i32.const 1) (local.get $word) (i32.const ${TaskKind.ParBranch}) (i32.const 2)))
        (local.set $b (call $new_task (i32.const 2) (local.get $word) (i32.const ${TaskKind.ParBranch}) (i32.const 3)))
        (call $fork (local.get $b))
        (call $run_inline (local.get $a))
        (call $join (local.get $b))
        (call $print_i64 (i64.load offset=8 (local.get $word))))`,
      `(func $a (param $t i32)
        (local $word i32)
        (local.set $word (i32.load offset=${ENV} (local.get $t)))
        (block $got (loop $l
          (br_if $got (i32.atomic.load (local.get $word)))
          (call $wait (local.get $word) (i32.const 0))
          (br $l))))`,
      `(func $b (param $t i32)
        (local $word i32)
        (local.set $word (i32.load offset=${ENV} (local.get $t)))
        (i64.store offset=8 (local.get $word) (i64.const 42))
        (i32.atomic.store (local.get $word) (i32.const 1))
        (call $notify (local.get $word) (i32.const -1)))`,
    ],
  }).wasm;
}

/** main prints 9 and ends with `code` in its RESULT (how main returning Err / ExitCode ends). */
export function exitCodeProgram(code: number): Uint8Array {
  return buildTestModule({
    taskNames: ["main"],
    tasks: [
      `(func $main (param $t i32)
        (call $print_i64 (i64.const 9))
        (i32.store offset=${RESULT} (local.get $t) (i32.const ${code})))`,
    ],
  }).wasm;
}

function byteLen(s: string): number {
  return new TextEncoder().encode(s).length;
}
// Strings are laid out from DATA_BASE in declaration order, 16-byte aligned.
function addrOf(index: number, ...previous: string[]): number {
  let at = 16384;
  for (let i = 0; i < index; i++) at += (byteLen(previous[i]) + 15) & ~15;
  return at;
}

/**
 * Memory growth seen across workers. main forks a "grower" task and, instead of joining it (which
 * could run it on main's own worker), waits on its STATE word until it is Done, so another worker
 * runs it. The grower grows the memory by `growPages` (memory.grow), copies `text` into the new
 * pages, and forks and joins a task whose record also lives in the new pages and that prints the
 * copy. main then prints memory.grow's result (the old size in pages, or -1 when the memory's
 * maximum forbids the growth), memory.size, the LAYOUT.MEMORY_LIMIT_PAGES word, and the copy
 * again. Every host call that reads the new pages (write, the task record) runs on a worker whose
 * views predate the growth unless the views follow it. Needs at least two workers.
 */
export function memoryGrowthProgram(growPages: number, text: string): Uint8Array {
  const len = new TextEncoder().encode(text).length;
  // The only string of the module, so buildTestModule puts it at DATA_BASE.
  const textAddr = LAYOUT.DATA_BASE;
  return buildTestModule({
    taskNames: ["main", "grower", "printer"],
    strings: { text },
    tasks: [
      `(func $main (param $t i32)
        (local $env i32) (local $g i32) (local $s i32)
        ;; env: [copy address in the new pages][memory.grow result]
        (local.set $env (call $alloc (i32.const 8)))
        (local.set $g (call $new_task (i32.const 1) (local.get $env) (i32.const ${TaskKind.ParBranch}) (i32.const 2)))
        (call $fork (local.get $g))
        (block $done
          (loop $poll
            (local.set $s (i32.atomic.load offset=${TASK.STATE} (local.get $g)))
            (br_if $done (i32.eq (local.get $s) (i32.const ${TaskState.Done})))
            (call $wait (i32.add (local.get $g) (i32.const ${TASK.STATE})) (local.get $s))
            (br $poll)))
        (call $print_i64 (i64.extend_i32_s (i32.load offset=4 (local.get $env))))
        (call $print_i64 (i64.extend_i32_u (memory.size)))
        (call $print_i64 (i64.extend_i32_u (i32.load (i32.const ${LAYOUT.MEMORY_LIMIT_PAGES}))))
        (if (i32.load (local.get $env))
          (then (call $print_str (i32.load (local.get $env)) (i32.const ${len})))))`,
      `(func $grower (param $t i32)
        (local $env i32) (local $old i32) (local $copy i32) (local $p i32)
        (local.set $env (i32.load offset=${ENV} (local.get $t)))
        (local.set $old (memory.grow (i32.const ${growPages})))
        (i32.store offset=4 (local.get $env) (local.get $old))
        (if (i32.eq (local.get $old) (i32.const -1)) (then (return)))
        ;; Allocate from the new pages from here on.
        (i32.atomic.store (i32.const ${LAYOUT.RT_PRIVATE}) (i32.shl (local.get $old) (i32.const 16)))
        (local.set $copy (call $alloc (i32.const ${len})))
        (memory.copy (local.get $copy) (i32.const ${textAddr}) (i32.const ${len}))
        (i32.store (local.get $env) (local.get $copy))
        (local.set $p (call $new_task (i32.const 2) (local.get $copy) (i32.const ${TaskKind.ParBranch}) (i32.const 3)))
        (call $fork (local.get $p))
        (call $join (local.get $p)))`,
      `(func $printer (param $t i32)
        (call $print_str (i32.load offset=${ENV} (local.get $t)) (i32.const ${len})))`,
    ],
  }).wasm;
}
