// Mutation of existing Kāra programs: token- and line-level edits that keep most of the program
// intact, so the damage lands deep inside realistic code (near-miss syntax, swapped operands,
// extreme literals, lines moved across scopes, splices from another program).

import { Rng } from "./rng.js";

const TOKEN_RE = /\s+|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[A-Za-z_][A-Za-z0-9_]*|0[xob][0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?[a-z0-9]*|\.\.=|\.\.|->|=>|==|!=|<=|>=|<<=|>>=|<<|>>|[+\-*/%&|^]=|\S/g;

export function tokenize(source: string): string[] {
  return source.match(TOKEN_RE) ?? [];
}

const isSpace = (t: string): boolean => /^\s/.test(t) || t.startsWith("//");

const VOCAB = [
  "fn", "let", "mut", "if", "else", "while", "for", "in", "loop", "break", "continue", "return", "match", "par", "struct",
  "impl", "enum", "ref", "self", "Self", "with", "reads", "writes", "effect", "resource", "as", "and", "or", "not", "_",
  "{", "}", "(", ")", "[", "]", "<", ">", ";", ",", ":", ".", "..", "..=", "=", "==", "=>", "->", "+", "-", "*", "/", "%", "|", "||",
  "&", "^", "<<", ">>", "+=", "?", "!", "@", "#", "::", "true", "false", "0", "1", "i64", "u8", "i32", "bool", "String", "Vec",
  "Atomic", "TaskGroup", "Option", "Some", "None", "Ok", "Err", "spawn", "join", "push", "len", "println", "print",
  '""', '"x"', "'a'", 'f"{x}"', "1.5", "()", "Vec.new()", "[]", "TaskHandle",
];

const INTERESTING_NUMBERS = ["0", "-1", "1", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551616", "255u8", "256u8", "-128i8", "1e308", "0.0", "0x", "1_", "340282366920938463463374607431768211456"];

/** One to four random edits of `source`; `donor` supplies spliced lines. */
export function mutateProgram(rng: Rng, source: string, donor: string): string {
  let text = source;
  for (let i = 0, n = rng.int(1, 4); i < n; i++) text = rng.chance(0.65) ? mutateTokens(rng, text) : mutateLines(rng, text, donor);
  return text;
}

function mutateTokens(rng: Rng, source: string): string {
  const toks = tokenize(source);
  const idx = toks.map((t, i) => (isSpace(t) ? -1 : i)).filter((i) => i >= 0);
  if (idx.length === 0) return source + rng.pick(VOCAB);
  const at = rng.pick(idx);
  const t = toks[at];
  switch (rng.int(0, 7)) {
    case 0:
      toks[at] = "";
      break;
    case 1:
      toks[at] = t + " " + t;
      break;
    case 2: {
      const other = rng.pick(idx);
      [toks[at], toks[other]] = [toks[other], toks[at]];
      break;
    }
    case 3:
      toks[at] = rng.pick(VOCAB);
      break;
    case 4:
      toks[at] = t + " " + rng.pick(VOCAB);
      break;
    case 5:
      // Numbers become extreme values; anything else becomes another token of the same program.
      toks[at] = /^\d/.test(t) ? rng.pick(INTERESTING_NUMBERS) : toks[rng.pick(idx)];
      break;
    case 6: {
      // Delete a run of tokens (unbalances brackets, drops whole expressions).
      const len = rng.int(2, 8);
      for (let k = at; k < Math.min(toks.length, at + len); k++) toks[k] = "";
      break;
    }
    default:
      // Truncate the program here.
      return toks.slice(0, at).join("");
  }
  return toks.join("");
}

function mutateLines(rng: Rng, source: string, donor: string): string {
  const lines = source.split("\n");
  if (lines.length < 2) return source;
  const at = rng.int(0, lines.length - 1);
  switch (rng.int(0, 4)) {
    case 0:
      lines.splice(at, rng.int(1, 3));
      break;
    case 1:
      lines.splice(at, 0, lines[rng.int(0, lines.length - 1)]);
      break;
    case 2: {
      const [moved] = lines.splice(at, 1);
      lines.splice(rng.int(0, lines.length), 0, moved);
      break;
    }
    case 3: {
      const d = donor.split("\n");
      const from = rng.int(0, Math.max(0, d.length - 1));
      lines.splice(at, 0, ...d.slice(from, from + rng.int(1, 6)));
      break;
    }
    default: {
      // Wrap a line in a block, loop or par, changing what scope it sits in.
      const wrap = rng.pick(["par { ", "{ ", "if true { ", "for zz in 0..2 { ", "while false { "]);
      lines[at] = wrap + lines[at] + " }";
    }
  }
  return lines.join("\n");
}
