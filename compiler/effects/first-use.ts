// Where a diagnostic about a captured local points: its first use in the body that captured it,
// which reads better than the span of the whole task or branch.

import type { LocalId, Span, TFunction } from "../tir/nodes.js";
import { walkBlock } from "../tir/walk.js";

/** The earliest span (by source offset) at which fn reads, writes or moves the local. */
export function firstUse(fn: TFunction, local: LocalId): Span | undefined {
  let first: Span | undefined;
  const seen = (span: Span): void => {
    if (!first || span.offset < first.offset) first = span;
  };
  walkBlock(fn.body, {
    place: (p, _a, span) => {
      if (p.kind === "local" && p.local === local) seen(span);
    },
    expr: (e) => {
      if (e.kind === "move" && e.local === local) seen(e.span);
    },
  });
  return first;
}
