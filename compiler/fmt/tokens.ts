// The formatter works on the token stream: every token (comments included) is kept in
// order and only the whitespace between tokens is rewritten, so comments survive and the
// program's tokens never change. This module turns source text into that stream.

import { tokenize } from "../syntax/parser.js";

export interface FmtToken {
  type: string; // lexer token name: "Identifier", "LBrace", "LineComment", ...
  text: string;
  offset: number; // source offset; inserted tokens carry the offset of the token they follow
  nlBefore: number; // line breaks in the source gap before this token
  inserted: boolean; // added by the formatter (a trailing comma)
}

export function isComment(t: FmtToken): boolean {
  return t.type === "LineComment" || t.type === "BlockComment";
}

export const OPENERS = new Set(["LParen", "LBracket", "LBrace"]);
export const CLOSERS = new Set(["RParen", "RBracket", "RBrace"]);

export function lexForFormat(source: string): FmtToken[] {
  const raw = tokenize(source);
  const out: FmtToken[] = [];
  let end = 0;
  for (const t of raw) {
    let nl = 0;
    for (let i = end; i < t.offset; i++) if (source.charCodeAt(i) === 10) nl++;
    let text = source.slice(t.offset, t.offset + t.length);
    // Trailing blanks inside a line comment are invisible; a carriage return of a CRLF file too.
    if (t.type === "LineComment") text = text.trimEnd();
    out.push({ type: t.type, text, offset: t.offset, nlBefore: nl, inserted: false });
    end = t.offset + t.length;
  }
  return out;
}

// Tokens after which a `-`, `*` or `|` is binary, a `(` is a call and a `[` an index.
const OPERAND_END = new Set([
  "Identifier", "RawIdent", "IntLit", "FloatLit", "StringLit", "TripleString", "FStringLit", "ByteStringLit",
  "CStringLit", "ByteLit", "CharLit", "RParen", "RBracket", "Kw_self", "Kw_Self", "Kw_true", "Kw_false", "Question",
]);

export function endsOperand(t: FmtToken | undefined): boolean {
  return t !== undefined && OPERAND_END.has(t.type);
}
