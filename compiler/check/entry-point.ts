// The program's entry point. `kara check` accepts a library file (no `fn main`), so a missing `main`
// is not a type error: only producing a module to run (`kara run` / `kara build`) needs one.
// `main`'s own shape (no parameters, return type) is checked with the rest of the program.

import type { Diagnostic } from "../diagnostics.js";
import type { Program } from "../syntax/ast.js";
import { Codes } from "./codes.js";

/** The error for a program that must be run but declares no top-level `fn main`, or undefined. */
export function missingMain(program: Program): Diagnostic | undefined {
  if (program.items.some((it) => it.kind === "fn" && it.name.name === "main")) return undefined;
  return {
    code: Codes.NoMain,
    severity: "error",
    phase: "resolve",
    message: "no `fn main()` found: a program to run or build needs one (`kara check` accepts a file without it)",
    span: { offset: 0, length: 0, line: 1, column: 1 },
  };
}
