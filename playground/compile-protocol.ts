// Messages between the page and the compile worker.

import type { CompileOptions, CompileResult, ProgramFile } from "../compiler/api.js";
import type { FormatResult } from "../compiler/fmt/index.js";
import type { CodeIndex } from "./code-index.js";

/**
 * `latest`: only the newest request of this name matters (checks as the user types); an older one
 * still waiting when a newer one arrives is answered `superseded` without compiling.
 * `index`: also describe the program's names for the editor (hover, completion), when it checks cleanly.
 */
export type CompileRequest =
  | { type: "compile"; id: number; source: string; options: CompileOptions; latest?: string; index?: boolean; files?: ProgramFile[] }
  /** `kara fmt` of the text (compiler/fmt): the canonical layout, or the parser's diagnostics. */
  | { type: "format"; id: number; source: string };

/**
 * A compile (or check) request: everything but formatting. `files`, when present, is the whole
 * program of several files (the root first; compileFiles) and `source` the text of the one in
 * the editor.
 */
export type CompileJob = Extract<CompileRequest, { type: "compile" }>;

export type CompileReply =
  /** The compiler (and Binaryen) finished loading in the worker. */
  | { type: "ready"; loadMs: number }
  /** The compiler could not be loaded: nothing can be compiled in this page. */
  | { type: "load-failed"; message: string }
  | { type: "result"; id: number; result: CompileResult; index?: CodeIndex }
  | { type: "superseded"; id: number }
  | { type: "formatted"; id: number; result: FormatResult }
  /** Bytes of the compiler's WebAssembly downloaded so far (total: its size, when known). */
  | { type: "progress"; loaded: number; total?: number }
  /** compile() itself threw (it should not: it reports problems as diagnostics). */
  | { type: "crashed"; id: number; message: string };
