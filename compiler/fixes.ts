// Applying machine fixes: the first fix of each diagnostic, skipping any whose span overlaps an
// edit already chosen, applied from the end of the source so earlier offsets stay valid.

import type { Diagnostic, Fix } from "./diagnostics.js";

export function applyFixes(source: string, diagnostics: readonly Diagnostic[]): { source: string; applied: number } {
  const chosen: Fix[] = [];
  const candidates = diagnostics.flatMap((d) => (d.fixes && d.fixes.length > 0 ? [d.fixes[0]] : []));
  candidates.sort((a, b) => a.span.offset - b.span.offset);
  let end = -1;
  for (const f of candidates) {
    if (f.span.offset < end) continue;
    chosen.push(f);
    end = f.span.offset + f.span.length;
  }
  let out = source;
  for (const f of [...chosen].reverse()) {
    out = out.slice(0, f.span.offset) + f.replacement + out.slice(f.span.offset + f.span.length);
  }
  return { source: out, applied: chosen.length };
}
