// Diagnostics shared by every phase. A phase never throws on bad input: it records
// diagnostics and lets the pipeline decide whether to continue.

import type { Span } from "./syntax/ast.js";

export type Severity = "error" | "warning" | "note";
export type Phase = "lex" | "parse" | "resolve" | "type" | "ownership" | "effect" | "concurrency" | "codegen";

// A machine-applicable edit: replace `span` with `replacement` (empty = delete).
export interface Fix {
  message: string;
  span: Span;
  replacement: string;
}

export interface Diagnostic {
  code: string; // karac's code where karac has one (E0100, E0408, ...), else one karac does not use: docs/diagnostics.md
  severity: Severity;
  phase: Phase;
  message: string;
  span: Span;
  notes?: string[];
  fixes?: Fix[];
  /** The file the span is in, set when the program has several files (compileFiles); the span is that file's. */
  file?: string;
}

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.items.push(d);
  }

  error(code: string, phase: Phase, message: string, span: Span, extra?: { notes?: string[]; fixes?: Fix[] }): void {
    this.items.push({ code, severity: "error", phase, message, span, ...extra });
  }

  warning(code: string, phase: Phase, message: string, span: Span, extra?: { notes?: string[]; fixes?: Fix[] }): void {
    this.items.push({ code, severity: "warning", phase, message, span, ...extra });
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.span.offset - b.span.offset || a.code.localeCompare(b.code));
}

// `error[E0100]: file:3:5: message` followed by the source line and a caret line.
export function renderDiagnostic(d: Diagnostic, file: string, source: string): string {
  const lines = source.split("\n");
  const text = lines[d.span.line - 1] ?? "";
  const lineNo = String(d.span.line);
  const pad = " ".repeat(lineNo.length);
  const caretLen = Math.max(1, Math.min(d.span.length, text.length - (d.span.column - 1)));
  const out = [
    `${d.severity}[${d.code}]: ${file}:${d.span.line}:${d.span.column}: ${d.message}`,
    `${pad} |`,
    `${lineNo} | ${text}`,
    `${pad} | ${" ".repeat(Math.max(0, d.span.column - 1))}${"^".repeat(caretLen)}`,
  ];
  for (const n of d.notes ?? []) out.push(`${pad} = note: ${n}`);
  for (const f of d.fixes ?? []) out.push(`${pad} = fix: ${f.message}`);
  return out.join("\n");
}

export interface JsonDiagnostic {
  code: string;
  severity: Severity;
  phase: Phase;
  message: string;
  line: number;
  column: number;
  offset: number;
  length: number;
  replacement?: string;
  /** Set for a program of several files. */
  file?: string;
}

export function diagnosticToJson(d: Diagnostic): JsonDiagnostic {
  const j: JsonDiagnostic = {
    code: d.code,
    severity: d.severity,
    phase: d.phase,
    message: d.message,
    line: d.span.line,
    column: d.span.column,
    offset: d.span.offset,
    length: d.span.length,
  };
  if (d.fixes && d.fixes.length > 0) j.replacement = d.fixes[0].replacement;
  if (d.file !== undefined) j.file = d.file;
  return j;
}
