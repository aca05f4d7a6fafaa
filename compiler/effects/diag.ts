// Diagnostic constructors of the effect phase (phase "effect").

import type { Diagnostic, Fix } from "../diagnostics.js";
import type { Span } from "../tir/nodes.js";

type Extra = { notes?: string[]; fixes?: Fix[] };

export function effectError(code: string, message: string, span: Span, extra: Extra = {}): Diagnostic {
  return { code, severity: "error", phase: "effect", message, span, ...clean(extra) };
}

export function effectWarning(code: string, message: string, span: Span, extra: Extra = {}): Diagnostic {
  return { code, severity: "warning", phase: "effect", message, span, ...clean(extra) };
}

export function effectNote(code: string, message: string, span: Span, extra: Extra = {}): Diagnostic {
  return { code, severity: "note", phase: "effect", message, span, ...clean(extra) };
}

function clean(extra: Extra): Extra {
  const out: Extra = {};
  if (extra.notes && extra.notes.length) out.notes = extra.notes;
  if (extra.fixes && extra.fixes.length) out.fixes = extra.fixes;
  return out;
}
