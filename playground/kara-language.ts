// Kāra syntax highlighting for CodeMirror: a line-by-line tokenizer (StreamLanguage) that
// knows nested block comments, f-strings with `{expr}` holes, triple-quoted strings,
// number literals with type suffixes, and the keyword table of the language.

import { StreamLanguage, type StreamParser, type StringStream } from "@codemirror/language";

export const KEYWORDS: ReadonlySet<string> = new Set(
  (
    "fn struct union enum trait marker impl mod use import const type distinct pub private if else match " +
    "while for in loop return break continue defer errdefer try asm global_asm let mut and or not own ref " +
    "weak lock move effect resource verb reads writes sends receives allocates panics blocks suspends with " +
    "transparent stable seq par yield as where dyn requires ensures invariant unsafe extern shared layout " +
    "group comptime alias independent"
  ).split(" "),
);
const RESERVED = new Set("gen become do final override priv typeof virtual async await pure box".split(" "));
const CONTROL = new Set("if else match while for in loop return break continue yield try defer errdefer".split(" "));

/** Where the tokenizer is: code, inside some string, or inside an f-string hole. */
type Context = { kind: "string"; interpolated: boolean } | { kind: "triple" } | { kind: "hole"; braces: number };

export interface KaraState {
  /** Nesting depth of the block comment we are in (0 = none). */
  commentDepth: number;
  /** Open brackets in code, for indentation. */
  brackets: number;
  stack: Context[];
}

const NUMBER =
  /^(?:0[xX][0-9a-fA-F][0-9a-fA-F_]*|0[oO][0-7][0-7_]*|0[bB][01][01_]*|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d[\d_]*)?)(?:_?(?:[iu](?:8|16|32|64|128|size)|f32|f64))?/;

function top(state: KaraState): Context | undefined {
  return state.stack[state.stack.length - 1];
}

function blockComment(stream: StringStream, state: KaraState): string {
  while (!stream.eol()) {
    if (stream.match("/*")) state.commentDepth++;
    else if (stream.match("*/")) {
      state.commentDepth--;
      if (state.commentDepth === 0) break;
    } else stream.next();
  }
  return "blockComment";
}

function insideString(stream: StringStream, state: KaraState, ctx: { interpolated: boolean }): string {
  if (stream.peek() === "\\") {
    stream.next();
    if (stream.eat("u")) stream.match(/^\{[0-9a-fA-F]*\}?/);
    else stream.next();
    return "escape";
  }
  if (stream.eat('"')) {
    state.stack.pop();
    return "string";
  }
  if (ctx.interpolated && stream.eat("{")) {
    state.stack.push({ kind: "hole", braces: 0 });
    return "brace.special";
  }
  const plain = ctx.interpolated ? /^[^"\\{]+/ : /^[^"\\]+/;
  if (!stream.match(plain)) stream.next();
  return "string";
}

function code(stream: StringStream, state: KaraState): string | null {
  if (stream.eatSpace()) return null;
  if (stream.match("///") || stream.match("//!")) {
    stream.skipToEnd();
    return "docComment";
  }
  if (stream.match("//")) {
    stream.skipToEnd();
    return "lineComment";
  }
  if (stream.match("/*")) {
    state.commentDepth = 1;
    return blockComment(stream, state);
  }
  if (stream.match('"""')) {
    state.stack.push({ kind: "triple" });
    return "string";
  }
  if (stream.match('f"')) {
    state.stack.push({ kind: "string", interpolated: true });
    return "string.special";
  }
  if (stream.match(/^[bc]"/) || stream.eat('"')) {
    state.stack.push({ kind: "string", interpolated: false });
    return "string";
  }
  const ctx = top(state);
  if (ctx?.kind === "hole") {
    if (stream.eat("{")) {
      ctx.braces++;
      return "brace";
    }
    if (stream.eat("}")) {
      if (ctx.braces === 0) {
        state.stack.pop();
        return "brace.special";
      }
      ctx.braces--;
      return "brace";
    }
  }
  if (stream.match(NUMBER)) return "number";
  if (stream.match(/^r#[A-Za-z_]\w*/)) return "variableName";
  const word = stream.match(/^[A-Za-z_]\w*/) as RegExpMatchArray | null;
  if (word) {
    const w = word[0];
    if (w === "true" || w === "false") return "bool";
    if (w === "self" || w === "Self") return "self";
    if (CONTROL.has(w)) return "controlKeyword";
    if (KEYWORDS.has(w)) return "keyword";
    if (RESERVED.has(w)) return "invalid";
    // `test` is a keyword only where it opens a test block (`test "name" {`); elsewhere a name.
    if (w === "test" && stream.match(/^\s*"/, false)) return "keyword";
    if (/^[A-Z]/.test(w)) return /^[A-Z][A-Z0-9_]+$/.test(w) ? "variableName.constant" : "typeName";
    if (stream.match(/^\s*\(/, false)) return "variableName.function";
    return "variableName";
  }
  if (stream.match(/^(?:->|=>|::|\.\.=?|[-+*\/%=!<>&|^]=?)/)) return "operator";
  if (stream.match(/^[([{]/)) {
    state.brackets++;
    return "bracket";
  }
  if (stream.match(/^[)\]}]/)) {
    state.brackets = Math.max(0, state.brackets - 1);
    return "bracket";
  }
  stream.next();
  return "punctuation";
}

export const karaParser: StreamParser<KaraState> = {
  name: "kara",
  startState: () => ({ commentDepth: 0, brackets: 0, stack: [] }),
  copyState: (s) => ({ commentDepth: s.commentDepth, brackets: s.brackets, stack: s.stack.map((c) => ({ ...c })) }),
  token(stream, state) {
    if (state.commentDepth > 0) return blockComment(stream, state);
    const ctx = top(state);
    if (ctx?.kind === "triple") {
      if (stream.match('"""')) state.stack.pop();
      else if (!stream.match(/^(?:[^"]|"(?!""))+/)) stream.next();
      return "string";
    }
    if (ctx?.kind === "string") return insideString(stream, state, ctx);
    return code(stream, state);
  },
  indent(state, textAfter, context) {
    if (state.commentDepth > 0 || state.stack.length > 0) return null; // inside a comment or string: leave it
    const closing = /^\s*[)\]}]/.test(textAfter) ? 1 : 0;
    return Math.max(0, state.brackets - closing) * context.unit;
  },
  languageData: {
    indentOnInput: /^\s*[)\]}]$/,
    commentTokens: { line: "//", block: { open: "/*", close: "*/" } },
    // `f"` opens an f-string: without the prefix the quote after `f` would not be auto-closed,
    // and the closing quote typed later would then insert a pair instead of stepping over.
    closeBrackets: { brackets: ["(", "[", "{", '"'], stringPrefixes: ["f"] },
  },
};

export const karaLanguage = StreamLanguage.define(karaParser);
