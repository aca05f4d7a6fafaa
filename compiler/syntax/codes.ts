// Diagnostic codes emitted by the lexer and parser. karac does not number most of its
// syntax errors, so these are our own codes in the E00xx range (lex: E0001–E0019,
// parse: E0020–E0059). Each entry documents the mistake it names.

export const SyntaxCodes = {
  // ---- lex
  UnexpectedChar: "E0001", // a character that starts no token (incl. non-ASCII identifiers)
  UnterminatedString: "E0002", // "..., """..., f"..., b"... without a closing quote
  UnterminatedComment: "E0003", // /* ... without its matching */
  BadEscape: "E0004", // unknown escape (\' or \x41 in text strings, \" in chars, bad \u{..})
  BadChar: "E0005", // empty/multi-character/unterminated char or byte literal; non-ASCII byte
  BadNumber: "E0006", // malformed number (bad digits, bad suffix, out of range)
  ReservedWord: "E0007", // a word reserved for future use (gen, async, ...)
  InvalidUtf8: "E0008", // bytes that are not UTF-8 (decodeSource, at their line:col); U+FFFD in a literal of decoded text
  NulInLiteral: "E0009", // a raw NUL character in a string, char or byte literal
  // ---- parse
  Syntax: "E0020", // unexpected token / missing token (generic)
  EffectComma: "E0021", // comma between effect items (has a machine fix)
  EffectClause: "E0022", // other malformed effect clause (`panics()`, `with _` not alone, ...)
  LogicalOperator: "E0023", // `&&`, `||`, `!x` instead of `and`, `or`, `not`
  PathSeparator: "E0024", // `::` instead of `.`
  ChainedComparison: "E0025", // `a < b < c`
  IdentClass: "E0026", // a name of the wrong case class (F2.2)
  AssignInExpr: "E0027", // assignment used as an expression (e.g. a match arm body)
  MissingSemicolon: "E0028", // statement not terminated by `;` (span right after the previous token)
  MissingComma: "E0029", // missing `,` after a match-arm expression or between fields/variants
  BadItem: "E0031", // something that is not an item at module level
  ForeignSyntax: "E0032", // Rust spellings: `&x`, `&T`, `&self`, `println!(..)`, `vec![..]`, `Vec<T>` in types (with fixes)
  RefAtCallSite: "E0033", // `f(ref x)`: `ref` is never written at a call site (with a fix)
  MisplacedAttribute: "E0040", // an attribute before a statement or loop that it cannot apply to
  TestNotTopLevel: "E0041", // `test "name" { .. }` inside a function body (test cases are module-level)
  Internal: "E0059", // the parser itself failed; reported instead of crashing
} as const;

export type SyntaxCode = (typeof SyntaxCodes)[keyof typeof SyntaxCodes];
