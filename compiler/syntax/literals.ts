import { shownSource } from "./quote.js";

// Scanning and decoding of literal tokens. The scanners find where a literal ends (so the
// lexer can match it in one step); the decoders turn its text into a value and report
// problems as offsets relative to the literal, which the caller converts to diagnostics.

export interface LitProblem {
  offset: number; // relative to the literal's first character
  length: number;
  message: string;
  code: "E0002" | "E0004" | "E0005" | "E0006" | "E0008" | "E0009";
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
export const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_");
export const isIdentChar = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c);

// ------------------------------------------------------------------ numbers

export const INT_SUFFIXES = ["i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128", "usize", "isize"];
export const FLOAT_SUFFIXES = ["f32", "f64"];
const ALL_SUFFIXES = [...INT_SUFFIXES, ...FLOAT_SUFFIXES].sort((a, b) => b.length - a.length);

export interface NumberScan {
  end: number; // exclusive, absolute
  isFloat: boolean;
}

// Scans a number starting at `start`. `intOnly` is set right after a `.` (tuple access
// `t.0.1`), where `0.1` must not become a float.
export function scanNumber(text: string, start: number, intOnly: boolean): NumberScan | null {
  if (!isDigit(text[start])) return null;
  let i = start;
  let isFloat = false;
  const p = text[i + 1];
  if (text[i] === "0" && (p === "x" || p === "X" || p === "o" || p === "O" || p === "b" || p === "B")) {
    i += 2;
    while (i < text.length && /[0-9a-fA-F_]/.test(text[i])) {
      // a hex digit run may swallow the start of a suffix like `i64` only for x; stop at suffix letters
      if ((p === "x" || p === "X") && (text[i] === "i" || text[i] === "u")) break;
      i++;
    }
  } else {
    while (isDigit(text[i]) || text[i] === "_") i++;
    if (!intOnly && text[i] === "." && isDigit(text[i + 1])) {
      isFloat = true;
      i++;
      while (isDigit(text[i]) || text[i] === "_") i++;
    }
    if (!intOnly && (text[i] === "e" || text[i] === "E")) {
      const n = text[i + 1];
      if (isDigit(n) || ((n === "+" || n === "-") && isDigit(text[i + 2]))) {
        isFloat = true;
        i += n === "+" || n === "-" ? 2 : 1;
        while (isDigit(text[i]) || text[i] === "_") i++;
      }
    }
  }
  // suffix (an `_` before it was consumed by the digit loop), then any stray identifier
  // characters, which are kept in the token so decoding can report one clear error.
  if (isIdentStart(text[i])) {
    for (const s of ALL_SUFFIXES) {
      if (text.startsWith(s, i) && !isIdentChar(text[i + s.length])) {
        if (FLOAT_SUFFIXES.includes(s) && !(p === "x" || p === "X" || p === "o" || p === "O" || p === "b" || p === "B"))
          isFloat = true;
        break;
      }
    }
    while (isIdentChar(text[i])) i++;
  }
  return { end: i, isFloat };
}

export interface IntValue {
  value: bigint;
  suffix?: string;
  problem?: LitProblem;
  /** The problem is only the magnitude of a signed type's minimum: `-128i8` is fine once negated. */
  fitsNegated?: boolean;
}

const INT_RANGES: Record<string, [bigint, bigint]> = (() => {
  const r: Record<string, [bigint, bigint]> = {};
  for (const bits of [8, 16, 32, 64, 128]) {
    r[`i${bits}`] = [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
    r[`u${bits}`] = [0n, (1n << BigInt(bits)) - 1n];
  }
  r.isize = r.i64;
  r.usize = r.u64;
  return r;
})();

const longestFirst = (xs: string[]): string[] => [...xs].sort((a, b) => b.length - a.length);
const INT_SUFFIXES_LONGEST_FIRST = longestFirst(INT_SUFFIXES);
const FLOAT_SUFFIXES_LONGEST_FIRST = longestFirst(FLOAT_SUFFIXES);

// `candidates` must be sorted longest first (`i128` before `i8`).
function splitSuffix(text: string, candidates: string[]): { body: string; suffix?: string } {
  for (const s of candidates) {
    if (text.endsWith(s) && text.length > s.length) {
      let body = text.slice(0, text.length - s.length);
      if (body.endsWith("_")) body = body.slice(0, -1);
      return { body, suffix: s };
    }
  }
  return { body: text };
}

const badInt = (text: string, message: string): IntValue => ({ value: 0n, problem: { offset: 0, length: text.length, message, code: "E0006" } });
const PLAIN_DECIMAL = /^[0-9]{1,15}$/;

export function decodeInt(text: string): IntValue {
  // Most literals are short plain decimals: no prefix, suffix, separator, or range problem.
  if (PLAIN_DECIMAL.test(text)) return { value: BigInt(text), suffix: undefined };
  let radix = 10;
  let digits = text;
  if (/^0[xXoObB]/.test(text)) {
    radix = { x: 16, o: 8, b: 2 }[text[1].toLowerCase() as "x" | "o" | "b"];
    digits = text.slice(2);
  }
  const { body, suffix } = splitSuffix(digits, INT_SUFFIXES_LONGEST_FIRST);
  if (suffix === undefined && /[g-zG-Z]/.test(body)) return badInt(text, `invalid suffix in integer literal \`${shownSource(text)}\``);
  const clean = body.replace(/_/g, "");
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : radix === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (clean === "" || !valid.test(clean)) return badInt(text, `invalid digits in integer literal \`${shownSource(text)}\``);
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : radix === 2 ? "0b" : "";
  const value = BigInt(prefix + clean);
  const range = suffix ? INT_RANGES[suffix] : undefined;
  // Unsuffixed literals adopt their type later; only reject what fits nothing (> u128).
  const max = range ? range[1] : INT_RANGES.u128[1];
  if (value > max) {
    const fitsNegated = range !== undefined && value === -range[0];
    return { value, suffix, fitsNegated, problem: { offset: 0, length: text.length, message: `integer literal \`${shownSource(text)}\` is out of range${suffix ? ` for ${suffix}` : ""}`, code: "E0006" } };
  }
  return { value, suffix };
}

export interface FloatValue {
  value: number;
  suffix?: string;
  problem?: LitProblem;
}

const F32_MAX = 3.4028234663852886e38;

export function decodeFloat(text: string): FloatValue {
  const { body, suffix } = splitSuffix(text, FLOAT_SUFFIXES_LONGEST_FIRST);
  const clean = body.replace(/_/g, "");
  if (!/^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(clean)) {
    return { value: 0, problem: { offset: 0, length: text.length, message: `invalid float literal \`${shownSource(text)}\``, code: "E0006" } };
  }
  const value = Number(clean);
  // A literal too large for its type would silently become infinity.
  const max = suffix === "f32" ? F32_MAX : Number.MAX_VALUE;
  if (value > max) {
    return { value, suffix, problem: { offset: 0, length: text.length, message: `float literal \`${shownSource(text)}\` is out of range for ${suffix ?? "f64"}`, code: "E0006" } };
  }
  return { value, suffix };
}

// ------------------------------------------------------------------ strings and chars

// Where a quoted literal ends. `open` is the index of the opening quote. Returns the
// index after the closing quote, or text.length with terminated=false.
export function scanQuoted(text: string, open: number, quote: string): { end: number; terminated: boolean } {
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === quote) return { end: i + 1, terminated: true };
    i++;
  }
  return { end: text.length, terminated: false };
}

// A char literal may not span lines; an unterminated one ends at the line end so the
// rest of the file still lexes.
export function scanChar(text: string, open: number): { end: number; terminated: boolean } {
  let i = open + 1;
  while (i < text.length && text[i] !== "\n") {
    const c = text[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "'") return { end: i + 1, terminated: true };
    i++;
  }
  return { end: i, terminated: false };
}

export function scanTripleQuoted(text: string, open: number): { end: number; terminated: boolean } {
  const close = text.indexOf('"""', open + 3);
  if (close < 0) return { end: text.length, terminated: false };
  return { end: close + 3, terminated: true };
}

// An f-string: holes `{...}` may contain nested braces, strings, chars and f-strings.
export function scanFString(text: string, open: number): { end: number; terminated: boolean } {
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === '"') return { end: i + 1, terminated: true };
    if (c === "{") {
      const h = scanHole(text, i);
      if (!h.terminated) return { end: text.length, terminated: false };
      i = h.end;
      continue;
    }
    i++;
  }
  return { end: text.length, terminated: false };
}

// `open` is the `{` of a hole; returns the index after its matching `}`.
export function scanHole(text: string, open: number): { end: number; terminated: boolean } {
  let depth = 1;
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return { end: i + 1, terminated: true };
    } else if (c === '"') {
      const isF = text[i - 1] === "f" && !isIdentChar(text[i - 2]);
      const s = isF ? scanFString(text, i) : scanQuoted(text, i, '"');
      if (!s.terminated) return s;
      i = s.end;
      continue;
    } else if (c === "'") {
      const s = scanChar(text, i);
      i = s.end;
      continue;
    }
    i++;
  }
  return { end: text.length, terminated: false };
}

export type EscapeMode = "text" | "fstring" | "char" | "byte" | "bytestr";

// Decodes one escape starting at `i` (the backslash). Returns the code point and the
// index after the escape, or a problem.
export function decodeEscape(
  text: string,
  i: number,
  mode: EscapeMode,
): { cp: number; next: number } | { problem: string; next: number } {
  const c = text[i + 1];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, "\\": 92, "0": 0 };
  if (c !== undefined && c in simple) return { cp: simple[c], next: i + 2 };
  if (c === '"' && mode !== "char" && mode !== "byte") return { cp: 34, next: i + 2 };
  if (c === "'" && (mode === "char" || mode === "byte")) return { cp: 39, next: i + 2 };
  if ((c === "{" || c === "}") && mode === "fstring") return { cp: c.charCodeAt(0), next: i + 2 };
  if (c === "x" && (mode === "byte" || mode === "bytestr")) {
    const hex = text.slice(i + 2, i + 4);
    if (/^[0-9a-fA-F]{2}$/.test(hex)) return { cp: parseInt(hex, 16), next: i + 4 };
    return { problem: "invalid `\\x` escape: expected two hex digits", next: Math.min(text.length, i + 2) };
  }
  if (c === "u" && mode !== "byte" && mode !== "bytestr") {
    const m = /^\{([0-9a-fA-F_]{1,8})\}/.exec(text.slice(i + 2, i + 14));
    if (!m) return { problem: "invalid unicode escape: expected `\\u{XXXX}`", next: i + 2 };
    const cp = parseInt(m[1].replace(/_/g, ""), 16);
    const next = i + 2 + m[0].length;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { problem: `invalid unicode scalar value in escape \`\\u{${m[1]}}\``, next };
    return { cp, next };
  }
  const shown = c === undefined ? "\\" : `\\${shownSource(c)}`;
  return { problem: `Unknown escape sequence \`${shown}\``, next: Math.min(text.length, i + 2) };
}

// Characters a literal may not contain as they are (they may be written as escapes): NUL,
// and U+FFFD, which is what the bytes of a file that are not valid UTF-8 decode to.
function rawCharProblem(cp: number): Pick<LitProblem, "message" | "code"> | undefined {
  if (cp === 0) return { message: "NUL character in a literal; write `\\0` if it is meant", code: "E0009" };
  if (cp === 0xfffd) {
    return { message: "U+FFFD in a literal: the source is not valid UTF-8 here (write `\\u{FFFD}` if the replacement character is meant)", code: "E0008" };
  }
  return undefined;
}

// Collects raw-character problems, one per run of the same problem, so a block of binary
// data in a literal gives one diagnostic rather than one per byte.
export class RawCharProblems {
  readonly problems: LitProblem[] = [];
  private last: LitProblem | undefined;

  add(cp: number, offset: number, length: number): void {
    const p = rawCharProblem(cp);
    if (!p) {
      this.last = undefined;
      return;
    }
    if (this.last && this.last.code === p.code && this.last.offset + this.last.length === offset) {
      this.last.length += length;
      return;
    }
    this.last = { offset, length, ...p };
    this.problems.push(this.last);
  }

  gap(): void {
    this.last = undefined;
  }
}

// Raw-character problems of a literal body without escapes (`"""..."""`).
export function rawTextProblems(body: string, base: number): LitProblem[] {
  const raw = new RawCharProblems();
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0 || c === 0xfffd) raw.add(c, base + i, 1);
    else raw.gap();
  }
  return raw.problems;
}

// Decodes the body of a text string ("..." without quotes). `base` is the offset of the
// body inside the literal, for problem offsets.
export function decodeStringBody(body: string, base: number, mode: EscapeMode): { value: string; bytes: number[]; problems: LitProblem[] } {
  let value = "";
  const bytes: number[] = [];
  const problems: LitProblem[] = [];
  const raw = new RawCharProblems();
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === "\\") {
      raw.gap();
      const r = decodeEscape(body, i, mode);
      if ("problem" in r) {
        problems.push({ offset: base + i, length: r.next - i, message: r.problem, code: "E0004" });
      } else {
        value += String.fromCodePoint(r.cp);
        bytes.push(r.cp);
      }
      i = r.next;
      continue;
    }
    const cp = body.codePointAt(i)!;
    raw.add(cp, base + i, cp > 0xffff ? 2 : 1);
    if (mode === "bytestr" && cp > 0x7f && cp !== 0xfffd) {
      problems.push({ offset: base + i, length: cp > 0xffff ? 2 : 1, message: "non-ASCII character in byte string literal", code: "E0005" });
    }
    value += String.fromCodePoint(cp);
    bytes.push(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  problems.push(...raw.problems);
  problems.sort((a, b) => a.offset - b.offset);
  return { value, bytes, problems };
}

// Decodes a char or byte literal including its quotes (`'a'`, or the part after `b`).
export function decodeCharLiteral(lit: string, base: number, isByte: boolean): { value: number; problems: LitProblem[] } {
  const problems: LitProblem[] = [];
  const whole = { offset: 0, length: lit.length + base };
  if (lit.length < 2 || !lit.endsWith("'") || (lit.length === 2 && lit === "''")) {
    const message = lit === "''" ? "empty character literal" : "unterminated character literal";
    return { value: 0, problems: [{ ...whole, message, code: "E0005" }] };
  }
  const body = lit.slice(1, -1);
  let cp: number;
  let next: number;
  if (body[0] === "\\") {
    const r = decodeEscape(body, 0, isByte ? "byte" : "char");
    if ("problem" in r) return { value: 0, problems: [{ offset: base + 1, length: r.next, message: r.problem, code: "E0004" }] };
    cp = r.cp;
    next = r.next;
  } else {
    cp = body.codePointAt(0)!;
    next = cp > 0xffff ? 2 : 1;
    const raw = rawCharProblem(cp);
    if (raw) return { value: cp, problems: [{ offset: base + 1, length: next, ...raw }] };
  }
  if (next !== body.length) {
    problems.push({ ...whole, message: isByte ? "byte literal may only contain one character" : "character literal may only contain one character; strings use double quotes", code: "E0005" });
  } else if (isByte && cp > 0x7f) {
    problems.push({ ...whole, message: "byte literal must be ASCII (use `\\xHH` for other bytes)", code: "E0005" });
  }
  return { value: cp, problems };
}
