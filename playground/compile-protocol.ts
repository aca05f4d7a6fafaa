// Messages between the page and the compile worker.

import type { CompileOptions, CompileResult } from "../compiler/api.js";

export type CompileRequest = { type: "compile"; id: number; source: string; options: CompileOptions };

export type CompileReply =
  /** The compiler (and Binaryen) finished loading in the worker. */
  | { type: "ready"; loadMs: number }
  /** The compiler could not be loaded: nothing can be compiled in this page. */
  | { type: "load-failed"; message: string }
  | { type: "result"; id: number; result: CompileResult }
  /** compile() itself threw (it should not: it reports problems as diagnostics). */
  | { type: "crashed"; id: number; message: string };
