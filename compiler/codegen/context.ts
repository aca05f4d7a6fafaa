// Module-wide state of one code generation: the Binaryen module, static data, the function
// table, and registries for functions generated on demand (per-type helpers, runtime pieces).

import binaryen from "binaryen";
import type { Span, TProgram, Type } from "../tir/nodes.js";
import { LAYOUT } from "../abi.js";
import { Ir, Locals, type Ref, type WType } from "./ir.js";
import { Layouts } from "./layout.js";

const encoder = new TextEncoder();

/**
 * Copy, drop and equality of a value of any type (lower/typeops.ts implements them). Map and Set
 * helpers need them for their elements while typeops needs those helpers for maps and sets, so
 * the helpers reach typeops through the Gen: the code generator passes these in.
 */
export interface ValueOps {
  /** Name of the copy function of t, or undefined when t is copied by value. */
  copyFn(g: Gen, t: Type): string | undefined;
  /** Name of the drop function of t, or undefined when t owns nothing. */
  dropFn(g: Gen, t: Type): string | undefined;
  /** i32 1 when a and b (values of t) are equal. */
  eqValue(g: Gen, t: Type, a: Ref, b: Ref): Ref;
}

/** A file of a program of several files, as code generation names it (GenerateOptions.sourceFiles). */
export interface SourceFileName {
  name: string;
  /** Offset of the file's first character in the merged program. */
  base: number;
}

export class Gen {
  readonly m: binaryen.Module;
  readonly ir: Ir;
  readonly layouts: Layouts;
  /** Bytes of the passive data segment, copied to DATA_BASE by __init. */
  private data: number[] = [];
  private readonly strings = new Map<string, number>();
  private readonly headers = new Map<string, number>();
  /** Names of functions in the table, index = position. Index 0 traps. */
  readonly table: string[] = ["rt_null_fn"];
  private readonly tableIndex = new Map<string, number>();
  /** Functions generated on demand, by name. */
  private readonly made = new Set<string>();
  /**
   * Record each statement's source position as Binaryen debug info, which the text printer
   * writes as `;;@ file:line:column` (the playground's source-to-wasm map). Only when the text
   * is wanted: a plain compile records nothing.
   */
  recordPositions = false;
  private readonly debugFiles = new Map<string, number>();

  constructor(
    readonly program: TProgram,
    readonly fileName: string,
    readonly values: ValueOps,
    private readonly sourceFiles: readonly SourceFileName[] = [],
  ) {
    this.m = new binaryen.Module();
    this.ir = new Ir(this.m);
    this.layouts = new Layouts(program);
  }

  /** Wasm name of a TIR function. */
  fnSymbol(id: number): string {
    return `f${id}:${this.program.functions[id].name}`;
  }

  /** Address of `bytes` in the data area (deduplicated). */
  bytes(text: string): { ptr: number; len: number } {
    const enc = encoder.encode(text);
    const hit = this.strings.get(text);
    if (hit !== undefined) return { ptr: hit, len: enc.length };
    const ptr = LAYOUT.DATA_BASE + this.data.length;
    for (const b of enc) this.data.push(b);
    this.strings.set(text, ptr);
    return { ptr, len: enc.length };
  }

  /**
   * Address of a static String header {data, len, cap=0} for `text`. It is a valid borrowed
   * String value: read-only, never freed.
   */
  staticString(text: string): number {
    const hit = this.headers.get(text);
    if (hit !== undefined) return hit;
    const { ptr, len } = this.bytes(text);
    while (this.data.length % 4 !== 0) this.data.push(0);
    const hdr = LAYOUT.DATA_BASE + this.data.length;
    for (const w of [ptr, len, 0]) for (let k = 0; k < 4; k++) this.data.push((w >>> (8 * k)) & 0xff);
    this.headers.set(text, hdr);
    return hdr;
  }

  /** Static prefix `panic at <file>:<line>:<col> in <fn>: ` for a panic site. */
  panicSite(span: Span, fnName: string): number {
    return this.staticString(`panic at ${this.fileNameAt(span.offset)}:${span.line}:${span.column} in ${fnName}: `);
  }

  /** The file holding merged offset `offset`: the last one starting at or before it (sourceFiles are in offset order). */
  private fileNameAt(offset: number): string {
    let name = this.fileName;
    for (const f of this.sourceFiles) {
      if (f.base > offset) break;
      name = f.name;
    }
    return name;
  }

  /** Binaryen's debug-info index of the file holding merged offset `offset`. */
  debugFileIndex(offset: number): number {
    const name = this.fileNameAt(offset);
    let index = this.debugFiles.get(name);
    if (index === undefined) {
      index = this.m.addDebugInfoFileName(name);
      this.debugFiles.set(name, index);
    }
    return index;
  }

  dataBytes(): Uint8Array {
    return Uint8Array.from(this.data);
  }

  /** First address after static data: where the heap starts. */
  heapBase(): number {
    return (LAYOUT.DATA_BASE + this.data.length + 15) & ~15;
  }

  /** Table slot of a function (added on first use). */
  slot(fnName: string): number {
    let i = this.tableIndex.get(fnName);
    if (i === undefined) {
      i = this.table.length;
      this.table.push(fnName);
      this.tableIndex.set(fnName, i);
    }
    return i;
  }

  /**
   * Ensure the function `name` exists, building it with `build` the first time. The name is
   * reserved before building so recursive helpers (e.g. drop of a recursive type) terminate.
   */
  once(name: string, build: () => void): string {
    if (!this.made.has(name)) {
      this.made.add(name);
      build();
    }
    return name;
  }

  /** Define a function whose body is built against its own Locals. */
  define(name: string, params: WType[], result: WType, build: (l: Locals) => Ref | Ref[]): string {
    return this.once(name, () => {
      const l = new Locals(params);
      const body = build(l);
      const ref = Array.isArray(body) ? this.m.block(null, body, result === binaryen.none ? binaryen.none : binaryen.auto) : body;
      this.addFunction(name, params, result, l.varTypes(), ref);
    });
  }

  addFunction(name: string, params: WType[], result: WType, vars: WType[], body: Ref): binaryen.FunctionRef {
    return this.m.addFunction(name, binaryen.createType(params), result, vars, body);
  }
}
