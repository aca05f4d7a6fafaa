// Names the place of a runtime fault in source terms: the Kāra function a wasm frame belongs to
// (from the module's site table, compiler/abi.ts SITE_TABLE_SECTION, and the engine's stack
// trace, which shows wasm function names from the name section), and the task a worker is in.

import { SITE_TABLE_SECTION, SYNC_SITE, TASK, TASK_KIND_NAMES, type SiteTable } from "../compiler/abi.js";

/** A source function: its name and the line of its declaration. */
export interface SourceFunction {
  name: string;
  line: number;
  /** A program of several files: the file the function is in. */
  file?: string;
}

/** Read access to task records in the program's memory (MemoryViews). */
export interface TaskWords {
  i32(end: number): Int32Array;
}

/** Each worker reads the table of the same module on every run: parse it once per module. */
const parsed = new WeakMap<WebAssembly.Module, FaultSites>();

export class FaultSites {
  private constructor(private readonly table: SiteTable | undefined) {}

  /** The site table of a compiled module; a module without one names no functions. */
  static fromModule(module: WebAssembly.Module): FaultSites {
    let sites = parsed.get(module);
    if (!sites) {
      sites = FaultSites.parse(module);
      parsed.set(module, sites);
    }
    return sites;
  }

  private static parse(module: WebAssembly.Module): FaultSites {
    const sections = WebAssembly.Module.customSections(module, SITE_TABLE_SECTION);
    if (sections.length === 0) return new FaultSites(undefined);
    try {
      return new FaultSites(JSON.parse(new TextDecoder().decode(sections[0])) as SiteTable);
    } catch {
      return new FaultSites(undefined);
    }
  }

  static none(): FaultSites {
    return new FaultSites(undefined);
  }

  /** The source function a wasm function name stands for (runtime helpers have none). */
  functionNamed(wasmName: string): SourceFunction | undefined {
    const entry = this.table?.functions[wasmName];
    if (!entry) return undefined;
    return entry[2] === undefined ? { name: entry[0], line: entry[1] } : { name: entry[0], line: entry[1], file: entry[2] };
  }

  /**
   * The source function a task runs: its table slot names a `task:` wrapper around the lifted
   * body (or the body itself), so the wrapper prefix is looked through.
   */
  taskFunction(slot: number): SourceFunction | undefined {
    const wasmName = this.table?.table[slot];
    if (wasmName === undefined) return undefined;
    return this.functionNamed(wasmName) ?? this.functionNamed(wasmName.replace(/^task:/, ""));
  }

  /**
   * `mutex m (created at line 3)` for a site word a Mutex or channel block holds (SYNC_SITE), or
   * undefined when the word is not one.
   */
  syncSite(word: number): string | undefined {
    if ((word & ~SYNC_SITE.INDEX_MASK) >>> 0 !== SYNC_SITE.TAG) return undefined;
    const site = this.table?.sync?.[word & SYNC_SITE.INDEX_MASK];
    if (!site) return undefined;
    const [what, name, line, file] = site;
    return `${what}${name ? ` ${name}` : ""} (created at ${placeText(line, file)})`;
  }

  /**
   * The innermost source function in a stack trace (Error.stack as V8 and SpiderMonkey write it),
   * skipping frames of runtime helpers and host code.
   */
  innermostFunction(stack: string | undefined): SourceFunction | undefined {
    if (!stack || !this.table) return undefined;
    for (const line of stack.split("\n")) {
      const name = wasmFrameName(line);
      const fn = name === undefined ? undefined : this.functionNamed(name);
      if (fn) return fn;
    }
    return undefined;
  }
}

/** The wasm function name of one stack-trace line, if it is a named wasm frame. */
function wasmFrameName(line: string): string | undefined {
  // V8: "    at f3:recurse (wasm://wasm/0a1b2c3d:wasm-function[12]:0x2c3)"
  const v8 = /^\s*at (.+?) \(wasm:\/\//.exec(line);
  if (v8) return v8[1].replace(/^\$/, "");
  // SpiderMonkey / JavaScriptCore: "f3:recurse@wasm://..." or "wasm-function[12]@[wasm code]"
  const other = /^(.+?)@.*wasm/.exec(line);
  return other ? other[1] : undefined;
}

/**
 * `task 3 (par, line 12)`: a task as the user knows it; `task 3 (par, app/util.kara:12)` in a
 * program of several files, whose site table names the file of the function the task runs (the
 * function its line is in).
 */
export function describeTask(memory: TaskWords, task: number, sites?: FaultSites): string {
  const mem32 = memory.i32(task + TASK.SIZE);
  const id = Atomics.load(mem32, (task + TASK.ID) >>> 2);
  const kind = TASK_KIND_NAMES[Atomics.load(mem32, (task + TASK.KIND) >>> 2)] ?? "task";
  const line = Atomics.load(mem32, (task + TASK.LINE) >>> 2);
  const file = line > 0 ? sites?.taskFunction(Atomics.load(mem32, (task + TASK.FN) >>> 2))?.file : undefined;
  return `task ${id} (${kind}${line > 0 ? `, ${placeText(line, file)}` : ""})`;
}

/** `recurse (declared at line 4)`: a source function as the user knows it. */
export function describeFunction(fn: SourceFunction): string {
  return `${fn.name} (declared at ${placeText(fn.line, fn.file)})`;
}

/** `line 4`, or `util.kara:4` in a program of several files. */
function placeText(line: number, file: string | undefined): string {
  return file === undefined ? `line ${line}` : `${file}:${line}`;
}

/** The function a task record runs, from its table slot. */
export function taskFunction(memory: TaskWords, sites: FaultSites, task: number): SourceFunction | undefined {
  const slot = Atomics.load(memory.i32(task + TASK.SIZE), (task + TASK.FN) >>> 2);
  return sites.taskFunction(slot);
}

/**
 * A stack trace deep enough to reach the program's own frames from inside the runtime helpers
 * (allocator, vector growth) that sit on top of them.
 */
export function captureStack(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  try {
    return new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
