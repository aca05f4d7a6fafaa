// Spacing between two tokens that share a line. Binary operators get a space on each side;
// unary operators, `.`, call/index brackets, `..` ranges and closure bars hug their
// operand; `,` `;` `:` hug what precedes them. A token pair that would lex differently
// when glued (`<` `<` → `<<`) always keeps a space, so spacing can never change the tokens.

import { tokenize } from "../syntax/parser.js";
import { endsOperand, isComment, type FmtToken } from "./tokens.js";

export type Role = "plain" | "unary" | "closureOpen" | "closureClose" | "member";

// Which `-` `*` `~` are prefix operators and which `|` delimit closure parameters:
// decided by the previous code token, as the parser does. A keyword after `.` is a member
// name (`x.or(y)`), so it ends an operand like an identifier.
export function assignRoles(tokens: FmtToken[]): Role[] {
  const roles: Role[] = new Array(tokens.length).fill("plain");
  let prev: FmtToken | undefined;
  // Bracket depth at which each open closure parameter list started.
  const openClosures: number[] = [];
  let depth = 0;
  const ends = (i: number): boolean => i >= 0 && (roles[i] === "member" || endsOperand(tokens[i]));
  let prevIndex = -1;
  tokens.forEach((t, i) => {
    if (isComment(t)) return;
    const afterOperand = ends(prevIndex);
    if (t.type.startsWith("Kw_") && (prev?.type === "Dot" || prev?.type === "QuestionDot")) roles[i] = "member";
    else if (t.type === "LParen" || t.type === "LBracket" || t.type === "LBrace") depth++;
    else if (t.type === "RParen" || t.type === "RBracket" || t.type === "RBrace") depth--;
    else if (t.type === "Pipe") {
      if (openClosures.length > 0 && openClosures[openClosures.length - 1] === depth) {
        openClosures.pop();
        roles[i] = "closureClose";
      } else if (!afterOperand) {
        openClosures.push(depth);
        roles[i] = "closureOpen";
      }
    } else if ((t.type === "Minus" || t.type === "Star" || t.type === "Tilde") && !afterOperand) {
      roles[i] = "unary";
    }
    prev = t;
    prevIndex = i;
  });
  return roles;
}

const NO_SPACE_BEFORE = new Set(["Comma", "Semi", "RParen", "RBracket", "Dot", "QuestionDot", "Colon", "Question"]);
const NO_SPACE_AFTER = new Set(["LParen", "LBracket", "Dot", "QuestionDot", "Hash"]);
// Keywords written directly before their parenthesised list: `reads(A)`, `errdefer(e)`
// (and `impl[T]`, below).
const CALL_LIKE_KEYWORDS = new Set([
  "Kw_reads", "Kw_writes", "Kw_sends", "Kw_receives", "Kw_allocates", "Kw_panics", "Kw_blocks", "Kw_suspends", "Kw_errdefer",
]);
const RANGES = new Set(["DotDot", "DotDotEq", "DotDotDot"]);
const OPERAND_START = new Set([
  "Identifier", "RawIdent", "IntLit", "FloatLit", "StringLit", "TripleString", "FStringLit", "ByteStringLit",
  "CStringLit", "ByteLit", "CharLit", "LParen", "Kw_self", "Kw_Self", "Kw_true", "Kw_false", "Minus",
]);

function wantsSpace(a: FmtToken, b: FmtToken, ra: Role, rb: Role): boolean {
  if (isComment(b)) return true;
  if (isComment(a)) return !NO_SPACE_BEFORE.has(b.type);
  if (NO_SPACE_BEFORE.has(b.type) || NO_SPACE_AFTER.has(a.type)) return false;
  if (ra === "unary" || ra === "closureOpen" || rb === "closureClose") return false;
  if (a.type === "LBrace") return b.type !== "RBrace";
  if (b.type === "LBrace") return a.type !== "Dot";
  const aEnds = ra === "member" || endsOperand(a);
  if (RANGES.has(b.type) && aEnds) return false;
  if (RANGES.has(a.type) && OPERAND_START.has(b.type)) return false;
  if (b.type === "LParen" || b.type === "LBracket") return !(aEnds || CALL_LIKE_KEYWORDS.has(a.type) || (a.type === "Kw_impl" && b.type === "LBracket"));
  return true;
}

const glueCache = new Map<string, boolean>();
const WORD_CHAR = /[A-Za-z0-9_]/;

// True when `a` immediately followed by `b` still lexes as exactly those two tokens. Most
// pairs are decided by their boundary characters; the rest ask the lexer (cached).
function canGlue(a: FmtToken, b: FmtToken): boolean {
  if (isComment(a) || isComment(b)) return true;
  // Already adjacent in the source: the lexer split them there.
  if (!a.inserted && !b.inserted && a.offset + a.text.length === b.offset) return true;
  const last = a.text[a.text.length - 1];
  const first = b.text[0];
  const aWord = WORD_CHAR.test(last);
  const bWord = WORD_CHAR.test(first);
  if (aWord && bWord) return false;
  // A word or number before punctuation that cannot extend it (`f(`, `x,`, `1)`).
  if (aWord && !/[.'"#]/.test(first)) return true;
  // Punctuation before a word (`(x`, `-x`, `.name`); `.` before a digit may form a number.
  if (bWord && !(last === "." && /[0-9]/.test(first))) return true;
  const key = `${a.type}\u0000${a.text}\u0000${b.type}\u0000${b.text}`;
  let ok = glueCache.get(key);
  if (ok === undefined) {
    const lexed = tokenize(a.text + b.text + " ");
    ok = lexed.length === 2 && lexed[0].type === a.type && lexed[1].type === b.type && lexed[0].length === a.text.length;
    glueCache.set(key, ok);
  }
  return ok;
}

export function spaceBetween(a: FmtToken, b: FmtToken, ra: Role, rb: Role): boolean {
  return wantsSpace(a, b, ra, rb) || !canGlue(a, b);
}
