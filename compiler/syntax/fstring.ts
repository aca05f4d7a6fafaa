// Splitting an f-string literal into text and holes. A hole is `{expr}` or `{expr:spec}`,
// where the spec follows the first `:` at nesting depth 0 (`::` never starts a spec).
// Offsets are relative to the literal's first character (the `f`).

import { decodeStringBody, RawCharProblems, scanHole, scanQuoted, scanChar, scanFString, isIdentChar, type LitProblem } from "./literals.js";
import { SyntaxCodes as C } from "./codes.js";

export interface HolePart {
  start: number; // the `{`
  end: number; // after the `}`
  exprStart: number;
  exprEnd: number;
  spec?: string;
  parse: boolean; // false when the hole is empty or unterminated (already reported)
}

export interface SplitFString {
  parts: (string | HolePart)[];
  problems: (Omit<LitProblem, "code"> & { code: string })[];
}

export function splitFString(text: string): SplitFString {
  const parts: (string | HolePart)[] = [];
  const problems: SplitFString["problems"] = [];
  const term = scanFString(text, 1);
  if (!term.terminated) problems.push({ offset: 0, length: 2, message: "unterminated f-string literal", code: C.UnterminatedString });
  const bodyEnd = term.terminated ? text.length - 1 : text.length;
  let i = 2;
  let buf = "";
  const raw = new RawCharProblems();
  while (i < bodyEnd) {
    const c = text[i];
    if (c !== "\\" && c !== "{" && c !== "}") raw.add(c.charCodeAt(0), i, 1);
    else raw.gap();
    if (c === "\\") {
      const seg = text.slice(i, Math.min(bodyEnd, i + 12));
      const len = escapeLength(seg);
      const d = decodeStringBody(seg.slice(0, len), i, "fstring");
      problems.push(...d.problems);
      buf += d.value;
      i += Math.max(1, len);
      continue;
    }
    if (c === "{") {
      const h = scanHole(text, i);
      const end = h.terminated ? h.end : bodyEnd;
      const innerEnd = h.terminated ? end - 1 : end;
      const colon = topLevelColon(text, i + 1, innerEnd);
      const exprEnd = colon < 0 ? innerEnd : colon;
      const spec = colon < 0 ? undefined : text.slice(colon + 1, innerEnd);
      if (buf) parts.push(buf);
      buf = "";
      let parse = true;
      if (!h.terminated) {
        parse = false;
        // an unterminated hole also leaves the literal unterminated: report that once
        if (term.terminated) problems.push({ offset: i, length: 1, message: "unterminated `{` in f-string", code: C.UnterminatedString });
      } else if (text.slice(i + 1, exprEnd).trim() === "") {
        parse = false;
        problems.push({ offset: i, length: end - i, message: "empty `{}` in f-string; write `\\{` for a literal brace", code: C.Syntax });
      }
      parts.push({ start: i, end, exprStart: i + 1, exprEnd, spec, parse });
      i = end;
      continue;
    }
    if (c === "}") {
      problems.push({ offset: i, length: 1, message: "unmatched `}` in f-string; write `\\}` for a literal brace", code: C.Syntax });
      i++;
      continue;
    }
    buf += c;
    i++;
  }
  if (buf) parts.push(buf);
  problems.push(...raw.problems);
  problems.sort((a, b) => a.offset - b.offset);
  return { parts, problems };
}

// Length of the escape at the start of `seg` (which begins with a backslash).
function escapeLength(seg: string): number {
  if (seg[1] === "u") {
    const m = /^\\u\{[0-9a-fA-F_]{0,8}\}/.exec(seg);
    if (m) return m[0].length;
  }
  return Math.min(seg.length, 2);
}

// The first `:` at nesting depth 0 in text[from, to), skipping strings and chars; -1 if none.
function topLevelColon(text: string, from: number, to: number): number {
  let depth = 0;
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === '"') {
      const isF = text[i - 1] === "f" && !isIdentChar(text[i - 2]);
      i = (isF ? scanFString(text, i) : scanQuoted(text, i, '"')).end;
      continue;
    } else if (c === "'") {
      i = scanChar(text, i).end;
      continue;
    } else if (c === ":" && depth === 0) {
      if (text[i + 1] === ":") {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  return -1;
}
