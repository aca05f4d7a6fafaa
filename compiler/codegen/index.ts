// Code generation entry point: typed program (TIR) in, a wasm module out. The module imports
// a shared memory and the host functions of compiler/abi.ts, and exports __init, __main and
// __run_task. Runtime support (allocator, strings, vectors, output capture, checked
// arithmetic, tasks) is emitted as IR into the same module.

import binaryen from "binaryen";
import type { TFunction, TProgram, TStmt } from "../tir/nodes.js";
import type { Diagnostic } from "../diagnostics.js";
import { isStackExhaustion, nestingLimitDiagnostic } from "../nesting-limit.js";
import { EXPORTS, HOST_IMPORTS, HOST_MODULE, LAYOUT, MEMORY_MAX_PAGES, MEMORY_MIN_PAGES, MEMORY_MODULE, MEMORY_NAME, TASK, TaskKind, type HostImportName } from "../abi.js";
import { Gen } from "./context.js";
import { f32, f64, i32, i64, Locals, none, MEM, TABLE, type WType } from "./ir.js";
import { HDR } from "./layout.js";
import { STR } from "./runtime/strings.js";
import { fmtValue } from "./lower/typeops.js";
import { emitAllocator, heapInit } from "./runtime/alloc.js";
import { emitMisc } from "./runtime/misc.js";
import { G, H, H_RAW } from "./runtime/names.js";
import { RT } from "./runtime/memory.js";
import { emitStrings } from "./runtime/strings.js";
import { emitTaskRuntime, RTT } from "./runtime/tasks.js";
import { emitVec } from "./runtime/vec.js";
import { CodegenError } from "./lower/errors.js";
import { FnLower } from "./lower/function.js";
import { copyFn, dropFn, emitCompareHelpers, eqValue } from "./lower/typeops.js";
import { addSiteTable, emitWithNames } from "./site-table.js";
import { keepLoopsInPlace, keepOutlinedOutOfLine } from "./outline-loops.js";
import { keepLoopChecks } from "./lower/loop-invariants.js";
import { setSplitThreshold } from "./split-function.js";
import { verifyAfterPhase } from "../tir/verify.js";

export interface GenerateOptions {
  /** The root file's name as run-time messages print it (the program's other files are named beside it: Gen.fileNameAt). */
  fileName: string;
  optimize?: number;
  emitText?: boolean;
  /** Functions with more locals share them (coalesce-locals.ts); COALESCE_LOCALS_ABOVE unless set. */
  shareLocalsAbove?: number;
  /** Outline inner loops into functions of their own (outline-loops.ts); on unless false. */
  outlineLoops?: boolean;
  /** Split function bodies of more expression nodes than this (split-function.ts); SPLIT_ABOVE_NODES unless set, Infinity for never. */
  splitFunctionsAbove?: number;
  /** Read loop-invariant sequence headers once and drop proven bounds checks (lower/loop-invariants.ts); on unless false. */
  loopFacts?: boolean;
}

export interface GenerateResult {
  wasm?: Uint8Array;
  wat?: string;
  diagnostics: Diagnostic[];
  /** Time spent in Binaryen validating, optimising and serialising the finished module (ms). */
  emitMs?: number;
}

const FEATURES =
  binaryen.Features.Atomics |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.NontrappingFPToInt |
  // Outlined loops return the locals they write as one tuple (outline-loops.ts).
  binaryen.Features.Multivalue;

const WASM_TYPES: Record<string, WType> = { i32, i64, f32, f64, none };

const clock = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

export function generate(program: TProgram, options: GenerateOptions): GenerateResult {
  let g: Gen | undefined;
  try {
    g = new Gen(program, options.fileName, { copyFn, dropFn, eqValue });
    return build(g, options);
  } catch (err) {
    const span = (err instanceof CodegenError && err.span) || (program?.main !== undefined ? program.functions?.[program.main]?.span : undefined) || { offset: 0, length: 0, line: 1, column: 1 };
    if (isStackExhaustion(err)) return { diagnostics: [nestingLimitDiagnostic("codegen", span)] };
    const unsupported = err instanceof CodegenError;
    return {
      diagnostics: [
        {
          code: unsupported ? "E9001" : "E9999",
          severity: "error",
          phase: "codegen",
          message: unsupported ? `not supported by code generation: ${(err as Error).message}` : `internal compiler error in codegen: ${err instanceof Error ? err.message : String(err)}`,
          span,
        },
      ],
    };
  } finally {
    g?.m.dispose();
  }
}

function build(g: Gen, options: GenerateOptions): GenerateResult {
  const { m, ir, program } = g;
  m.setFeatures(FEATURES);
  g.recordPositions = options.emitText === true;
  if (options.outlineLoops === false) keepLoopsInPlace(g);
  g.shareLocalsAbove = options.shareLocalsAbove;
  setSplitThreshold(g, options.splitFunctionsAbove);
  if (options.loopFacts === false) keepLoopChecks(g);
  // Placeholder so memory operations can name the memory while functions are built; the
  // final call below adds the data segment and turns it into the import.
  m.setMemory(MEMORY_MIN_PAGES, MEMORY_MAX_PAGES, null, [], true, false, MEM);

  for (const [name, sig] of Object.entries(HOST_IMPORTS)) {
    m.addFunctionImport(
      (H_RAW as Record<string, string>)[name] ?? H[name as HostImportName],
      HOST_MODULE,
      name,
      binaryen.createType(sig.params.map((p) => WASM_TYPES[p])),
      WASM_TYPES[sig.result],
    );
  }
  for (const name of Object.values(G)) m.addGlobal(name, i32, true, ir.c32(0));

  emitAllocator(g);
  emitStrings(g);
  emitVec(g);
  emitTaskRuntime(g);
  emitMisc(g);
  emitCompareHelpers(g);

  for (const fn of program.functions) new FnLower(g, fn).build();

  // Module-level globals are evaluated in order by the main task before main runs.
  if (program.globals.length * 8 > RT.GLOBALS_END - RT.GLOBALS) throw new CodegenError("too many module-level bindings");
  const mainFn = program.main === undefined ? undefined : program.functions[program.main];
  if (!mainFn) throw new CodegenError("program has no main function");
  let globalsInit: string | undefined;
  if (program.globals.length) {
    globalsInit = "__globals_init";
    const stmts: TStmt[] = program.globals.map((gl) => ({
      kind: "assign",
      place: { kind: "global", global: gl.id, type: gl.type, span: gl.span },
      value: gl.init,
      span: gl.span,
    }));
    const synthetic: TFunction = {
      id: -1,
      kind: "fn",
      name: globalsInit,
      panicName: "main",
      params: [],
      ret: { kind: "unit" },
      captures: [],
      locals: [],
      body: { kind: "block", stmts, drops: [], type: { kind: "unit" }, span: mainFn.span },
      paramDrops: [],
      pub: false,
      span: mainFn.span,
    };
    new FnLower(g, synthetic, globalsInit).build();
  }
  g.define("__main_task", [i32], none, (l) => [
    globalsInit ? m.call(globalsInit, [], none) : m.nop(),
    ...callMain(g, mainFn, l),
  ]);
  g.define(EXPORTS.main, [], i32, () => [
    m.call(RTT.taskNew, [ir.c32(g.slot("__main_task")), ir.c32(0), ir.c32(TaskKind.Main), ir.c32(mainFn.span.line), ir.c32(0)], i32),
  ]);

  // Static data is final now.
  const data = g.dataBytes();
  g.define(EXPORTS.init, [i32, i32, i32], none, (l) => [
    m.global.set(G.WORKER, ir.get(l, 0)),
    m.global.set(G.WORKERS, ir.get(l, 1)),
    m.global.set(G.TASK, ir.c32(0)),
    m.global.set(G.CAPTURE, ir.c32(0)),
    m.if(
      ir.get(l, 2),
      m.block(null, [
        data.length ? m.memory.init("data", ir.c32(LAYOUT.DATA_BASE), ir.c32(0), ir.c32(data.length), MEM) : m.nop(),
        ...heapInit(g),
        m.i32.atomic.store(0, ir.c32(LAYOUT.NEXT_TASK_ID), ir.c32(1), MEM),
        m.i32.atomic.store(0, ir.c32(LAYOUT.ABORT_FLAG), ir.c32(0), MEM),
      ]),
    ),
  ]);

  m.addTable(TABLE, g.table.length, g.table.length);
  m.addActiveElementSegment(TABLE, "elems", g.table, ir.c32(0));
  m.setMemory(
    MEMORY_MIN_PAGES,
    MEMORY_MAX_PAGES,
    null,
    // Passive: copied once by __init, never re-applied when another worker instantiates.
    (data.length ? [{ name: "data", data, passive: true, offset: 0 }] : []) as unknown as binaryen.MemorySegment[],
    true,
    false,
    MEM,
  );
  m.addMemoryImport(MEM, MEMORY_MODULE, MEMORY_NAME, true);
  m.addFunctionExport(EXPORTS.init, EXPORTS.init);
  m.addFunctionExport(EXPORTS.main, EXPORTS.main);
  m.addFunctionExport(EXPORTS.runTask, EXPORTS.runTask);
  m.addFunctionExport(EXPORTS.capturing, EXPORTS.capturing);

  const emitStart = clock();
  const level = options.optimize ?? 0;
  // The engine validates the module when it compiles it, so without optimisation Binaryen's own
  // validation (a fifth of emission) runs only where a codegen bug should be named at once: under
  // the tests' verification flag. The optimiser needs valid input, so it always validates first.
  if ((level > 0 || verifyAfterPhase()) && !m.validate()) throw new Error("generated module failed validation");
  if (level > 0) {
    binaryen.setOptimizeLevel(Math.min(4, level));
    binaryen.setShrinkLevel(0);
    keepOutlinedOutOfLine(g);
    m.optimize();
  }
  addSiteTable(g);
  const wasm = emitWithNames(m);
  const wat = options.emitText ? m.emitText() : undefined;
  return { wasm, wat, diagnostics: [], emitMs: clock() - emitStart };
}

/**
 * Run main. The main task's RESULT word is the process exit code (0 unless main returns
 * `Err(e)`, which prints `Error: {e}` on stderr and exits 1).
 */
function callMain(g: Gen, mainFn: TFunction, l: Locals): binaryen.ExpressionRef[] {
  const { m, ir } = g;
  const w = g.layouts.wasm(mainFn.ret);
  const call = m.call(g.fnSymbol(mainFn.id), [], w);
  const ret = mainFn.ret;
  if (ret.kind !== "enum" || g.layouts.enumDef(ret.name).prelude !== "result") {
    return [w === none ? call : m.drop(call)];
  }
  const def = g.layouts.enumDef(ret.name);
  const err = def.variants.findIndex((v) => v.name === "Err");
  const f = g.layouts.variantLayouts(ret.name)[err].fields[0];
  const r = l.add(i32);
  const sb = l.add(i32);
  return [
    ir.set(r, call),
    m.if(
      m.i32.eq(ir.load32(ir.get(l, r)), ir.c32(err)),
      m.block(null, [
        ir.set(sb, m.call(STR.new, [ir.c32(32)], i32)),
        m.call(STR.pushStr, [ir.get(l, sb), ir.c32(g.staticString("Error: "))], none),
        f && f.wasm !== none ? fmtValue(g, f.type, ir.get(l, sb), ir.load(f.wasm, ir.get(l, r), f.offset)) : m.nop(),
        m.call(STR.pushByte, [ir.get(l, sb), ir.c32(10)], none),
        m.call(RTT.write, [ir.c32(2), ir.load32(ir.get(l, sb), HDR.DATA), ir.load32(ir.get(l, sb), HDR.LEN)], none),
        ir.store32(m.local.get(0, i32), ir.c32(1), TASK.RESULT),
      ]),
    ),
  ];
}
