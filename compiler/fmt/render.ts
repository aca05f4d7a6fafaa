// Prints the token stream: decides the line breaks before each token (the source's own,
// within the limits the layout sets), indents each line, and spaces tokens within a line.
//
// Indentation is four spaces per open bracket that was left open at the end of a line
// (several on one line count once). A line that continues a statement or declaration
// started on an earlier line (inside `{ }` or at top level) gets one extra level.

import { CLOSERS, OPENERS, isComment, type FmtToken } from "./tokens.js";
import type { Layout } from "./layout.js";
import { assignRoles, spaceBetween } from "./spacing.js";

const INDENT = "    ";
const STATEMENT_END = new Set(["Semi", "LBrace", "RBrace", "Comma"]);

// The layout's token indices refer to the source tokens; trailing commas are spliced in here.
function withInsertedCommas(tokens: FmtToken[], layout: Layout): { tokens: FmtToken[]; layout: Layout } {
  if (layout.commaAfter.size === 0) return { tokens, layout };
  const out: FmtToken[] = [];
  const next: Layout = { minNl: [], maxNl: [], start: [], commaAfter: new Set(), owner: [] };
  const moved: number[] = []; // source index -> index in `out`
  tokens.forEach((t, i) => {
    moved.push(out.length);
    out.push(t);
    next.owner.push(layout.owner[i]);
    next.minNl.push(layout.minNl[i]);
    next.maxNl.push(layout.maxNl[i]);
    next.start.push(layout.start[i]);
    if (layout.commaAfter.has(i)) {
      out.push({ type: "Comma", text: ",", offset: t.offset + t.text.length, nlBefore: 0, inserted: true });
      next.minNl.push(0);
      next.maxNl.push(0);
      next.start.push(false);
      next.owner.push(-1);
    }
  });
  next.owner = next.owner.map((o) => (o < 0 ? o : moved[o]));
  return { tokens: out, layout: next };
}

function lineBreaks(tokens: FmtToken[], layout: Layout, i: number): number {
  if (i === 0) return 0;
  const t = tokens[i];
  const prev = tokens[i - 1];
  let n = Math.min(t.nlBefore, 2);
  if (OPENERS.has(prev.type) || CLOSERS.has(t.type)) n = Math.min(n, 1); // no blank line just inside brackets
  if (prev.type === "LBrace" && t.type === "RBrace") n = 0; // `{}`
  if (prev.type === "RBrace" && t.type === "Kw_else") n = 0; // `} else`
  n = Math.min(n, layout.maxNl[i]);
  n = Math.max(n, layout.minNl[i]);
  if (prev.type === "LineComment") n = Math.max(n, 1);
  return n;
}

// The printed text, and the tokens it was printed from (the source's plus inserted commas).
export function render(sourceTokens: FmtToken[], sourceLayout: Layout): { text: string; tokens: FmtToken[] } {
  const { tokens, layout } = withInsertedCommas(sourceTokens, sourceLayout);
  const roles = assignRoles(tokens);
  // For each open bracket, the indent its contents are measured from.
  const open: { type: string; lineIndent: number }[] = [];
  let out = "";
  let lineIndent = 0;
  let prevCode: FmtToken | undefined;
  // The indent of the line each token was printed on: a brace's body is indented from the
  // line its construct starts on (`fn f() -> T\n    with reads(A) {\n    body\n}`).
  const printedIndent: number[] = [];

  const continues = (i: number): boolean => {
    const t = tokens[i];
    if (t === undefined || CLOSERS.has(t.type) || t.type === "Kw_else" || layout.start[i]) return false;
    if (prevCode === undefined || STATEMENT_END.has(prevCode.type)) return false;
    const inner = open[open.length - 1];
    return inner === undefined || inner.type === "LBrace";
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const nl = lineBreaks(tokens, layout, i);
    if (nl > 0) {
      out += "\n".repeat(nl);
      if (CLOSERS.has(t.type)) {
        lineIndent = open[open.length - 1]?.lineIndent ?? 0;
      } else {
        let next = i;
        while (next < tokens.length && isComment(tokens[next])) next++;
        const base = open.length > 0 ? open[open.length - 1].lineIndent + 1 : 0;
        lineIndent = base + (continues(next) ? 1 : 0);
      }
      out += INDENT.repeat(lineIndent);
    } else if (i > 0 && spaceBetween(tokens[i - 1], t, roles[i - 1], roles[i])) {
      out += " ";
    }
    out += t.text;
    printedIndent.push(lineIndent);
    const owner = layout.owner[i];
    if (OPENERS.has(t.type)) open.push({ type: t.type, lineIndent: owner >= 0 ? printedIndent[owner] : lineIndent });
    else if (CLOSERS.has(t.type)) open.pop();
    if (!isComment(t)) prevCode = t;
  }
  return { text: tokens.length > 0 ? out + "\n" : "", tokens };
}
