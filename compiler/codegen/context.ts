// Module-wide state of one code generation: the Binaryen module, static data, the function
// table, and registries for functions generated on demand (per-type helpers, runtime pieces).

import binaryen from "binaryen";
import type { Span, TProgram, Type } from "../tir/nodes.js";
import { LAYOUT } from "../abi.js";
import { Ir, Locals, MEM, type Ref, type WType } from "./ir.js";
import { installMemoryReach } from "./runtime/memory-reach.js";
import { Layouts } from "./layout.js";
import { fileOfSpan } from "../tir/source-files.js";

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

/**
 * The static data, appended a byte at a time: a typed buffer that doubles when full. A long
 * function has megabytes of it (each panic site's message prefix), too much for an array of numbers.
 */
class DataBytes {
  private buf = new Uint8Array(4096);
  length = 0;

  push(byte: number): void {
    if (this.length === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.length++] = byte;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class Gen {
  readonly m: binaryen.Module;
  readonly ir: Ir;
  readonly layouts: Layouts;
  /** Bytes of the passive data segment, copied to DATA_BASE by __init. */
  private readonly data = new DataBytes();
  /** Functions with more locals than this share them (coalesce-locals.ts); its default when unset. */
  shareLocalsAbove?: number;
  /** Text placed in the data area: its address and its length in UTF-8 bytes. */
  private readonly strings = new Map<string, { ptr: number; len: number }>();
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
  ) {
    this.m = new binaryen.Module();
    installMemoryReach(this.m, MEM);
    this.ir = new Ir(this.m);
    this.layouts = new Layouts(program);
  }

  /** Wasm name of a TIR function. */
  fnSymbol(id: number): string {
    return `f${id}:${this.program.functions[id].name}`;
  }

  /** Address of `bytes` in the data area (deduplicated). */
  bytes(text: string): { ptr: number; len: number } {
    const hit = this.strings.get(text);
    if (hit !== undefined) return { ptr: hit.ptr, len: hit.len };
    const ptr = LAYOUT.DATA_BASE + this.data.length;
    // ASCII (every panic-site prefix of a plain file name) is copied as it stands: a long function
    // has tens of thousands of sites, and encoding each allocates.
    let ascii = true;
    for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
    if (ascii) for (let i = 0; i < text.length; i++) this.data.push(text.charCodeAt(i));
    else for (const b of encoder.encode(text)) this.data.push(b);
    const placed = { ptr, len: LAYOUT.DATA_BASE + this.data.length - ptr };
    this.strings.set(text, placed);
    return { ptr, len: placed.len };
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

  /**
   * How run-time messages name the file holding merged offset `offset`: the root file as
   * `fileName` (what a program of one file prints), every other file by its path from the root's
   * directory, under the directory `fileName` is in (`app/main.kara` → `app/util.kara`).
   */
  fileNameAt(offset: number): string {
    const file = fileOfSpan(this.program, { offset });
    if (file === undefined || file === this.program.sourceFiles![0].name) return this.fileName;
    const dir = this.fileName.slice(0, Math.max(this.fileName.lastIndexOf("/"), this.fileName.lastIndexOf("\\")) + 1);
    return dir + file;
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
    return this.data.bytes();
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
