// f-string format specs: `[[fill]align][0][width][.precision][type]` (core.md F5.9).

import type { FormatSpec } from "../tir/nodes.js";

/** Parse a spec; returns an error message instead when it is malformed. */
export function parseFormatSpec(text: string): FormatSpec | string {
  const chars = Array.from(text);
  let i = 0;
  const spec: FormatSpec = { fill: " ", zero: false };
  const isAlign = (c: string | undefined): c is "<" | ">" | "^" => c === "<" || c === ">" || c === "^";
  if (chars.length >= 2 && isAlign(chars[1])) {
    spec.fill = chars[0];
    spec.align = chars[1];
    i = 2;
  } else if (isAlign(chars[0])) {
    spec.align = chars[0];
    i = 1;
  }
  if (chars[i] === "0") {
    spec.zero = true;
    i++;
  }
  let width = "";
  while (i < chars.length && /[0-9]/.test(chars[i])) width += chars[i++];
  if (width) spec.width = Number(width);
  if (chars[i] === ".") {
    i++;
    let prec = "";
    while (i < chars.length && /[0-9]/.test(chars[i])) prec += chars[i++];
    if (!prec) return `invalid format spec '${text}': missing precision after '.'`;
    spec.precision = Number(prec);
  }
  if (i < chars.length) {
    const t = chars[i];
    if (t === "?") return "unsupported type `?` in format spec: Debug formatting is not available; use Display";
    if (t === "x" || t === "X" || t === "o" || t === "b" || t === "d") {
      spec.radix = t;
      i++;
    } else {
      return `unsupported type \`${t}\` in format spec '${text}'`;
    }
  }
  if (i < chars.length) return `invalid format spec '${text}'`;
  return spec;
}
