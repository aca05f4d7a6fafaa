// `kara fmt`: the canonical layout of a Kāra source file. See README.md for the rules.

import { parse } from "../syntax/parser.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Program } from "../syntax/ast.js";
import { lexForFormat, type FmtToken } from "./tokens.js";
import { planLayout } from "./layout.js";
import { render } from "./render.js";
import { sortImports } from "./imports.js";

export type FormatResult =
  | { ok: true; text: string; changed: boolean }
  | { ok: false; diagnostics: Diagnostic[] };

function errorsOf(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

function parseClean(source: string, fileName: string): { program: Program; errors: Diagnostic[] } {
  const { program, diagnostics } = parse(source, fileName);
  return { program, errors: errorsOf(diagnostics) };
}

// Token identity for comparing printed tokens with the re-lexed output.
function signature(tokens: FmtToken[]): string[] {
  return tokens.map((t) => `${t.type} ${t.text}`);
}

function internalError(fileName: string, message: string): FormatResult {
  const span = { offset: 0, length: 0, line: 1, column: 1 };
  return { ok: false, diagnostics: [{ code: "E0059", severity: "error", phase: "parse", message: `${fileName}: formatter: ${message}`, span }] };
}

export function formatSource(source: string, fileName = "input.kara"): FormatResult {
  const first = parseClean(source, fileName);
  if (first.errors.length > 0) return { ok: false, diagnostics: first.errors };

  let text = source;
  let program = first.program;
  let tokens = lexForFormat(text);
  const sorted = sortImports(text, program, tokens);
  if (sorted !== text) {
    const again = parseClean(sorted, fileName);
    if (again.errors.length > 0) return internalError(fileName, "sorting imports broke the program");
    text = sorted;
    program = again.program;
    tokens = lexForFormat(text);
  }

  const printed = render(tokens, planLayout(program, tokens));
  const output = printed.text;

  // Safety net: the output must lex to exactly the printed tokens and parse cleanly.
  if (signature(lexForFormat(output)).join("\n") !== signature(printed.tokens).join("\n")) {
    return internalError(fileName, "output tokens differ from the input");
  }
  if (parseClean(output, fileName).errors.length > 0) return internalError(fileName, "output does not parse");

  return { ok: true, text: output, changed: output !== source };
}
