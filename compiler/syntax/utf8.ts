// Decoding a source file's bytes. Source files are UTF-8; bytes that are not are reported at
// their place (E0008) instead of being silently replaced by U+FFFD, which would change string
// literals without a word.

import type { Diagnostic } from "../diagnostics.js";
import { SourceMap } from "./source.js";
import { SyntaxCodes as C } from "./codes.js";

export interface DecodedSource {
  /** The text; where the bytes are not UTF-8 each invalid sequence is one U+FFFD. */
  text: string;
  /** One E0008 per invalid byte sequence (at most MAX_REPORTED); empty when the bytes are UTF-8. */
  diagnostics: Diagnostic[];
}

// A binary file has invalid sequences everywhere; the first few say enough.
export const MAX_REPORTED = 20;

// A byte order mark stays in the text (as U+FEFF), as Node's own "utf8" decoding keeps it.
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });

export function decodeSource(bytes: Uint8Array): DecodedSource {
  try {
    return { text: strict.decode(bytes), diagnostics: [] };
  } catch {
    const text = lenient.decode(bytes);
    return { text, diagnostics: invalidSequenceDiagnostics(bytes, new SourceMap(text)) };
  }
}

/** An invalid byte sequence: its bytes, and the offset of the U+FFFD it decodes to. */
export interface InvalidSequence {
  byteOffset: number;
  byteLength: number;
  textOffset: number;
}

/**
 * The invalid sequences of `bytes`, found with the WHATWG decoding algorithm that TextDecoder
 * uses, so each one is exactly one U+FFFD of the lenient decoding: a sequence ends at the
 * first byte that cannot continue it, and that byte is then read again as a possible start.
 */
export function invalidSequences(bytes: Uint8Array): InvalidSequence[] {
  const found: InvalidSequence[] = [];
  let textOffset = 0; // UTF-16 units decoded so far
  let needed = 0; // continuation bytes the current character still needs
  let seen = 0;
  let codePoint = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let start = 0; // byte offset where the current character started
  const invalid = (end: number): void => {
    found.push({ byteOffset: start, byteLength: end - start, textOffset });
    textOffset += 1;
    needed = 0;
    seen = 0;
    lower = 0x80;
    upper = 0xbf;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (needed === 0) {
      start = i;
      if (b <= 0x7f) {
        textOffset += 1;
      } else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        codePoint = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0; // no overlong forms
        if (b === 0xed) upper = 0x9f; // no surrogates
        needed = 2;
        codePoint = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90; // no overlong forms
        if (b === 0xf4) upper = 0x8f; // nothing above U+10FFFF
        needed = 3;
        codePoint = b & 0x07;
      } else {
        invalid(i + 1);
      }
      continue;
    }
    if (b < lower || b > upper) {
      invalid(i);
      i--; // this byte may start the next character
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    codePoint = (codePoint << 6) | (b & 0x3f);
    if (++seen === needed) {
      textOffset += codePoint >= 0x10000 ? 2 : 1;
      needed = 0;
      seen = 0;
    }
  }
  if (needed !== 0) invalid(bytes.length);
  return found;
}

function invalidSequenceDiagnostics(bytes: Uint8Array, map: SourceMap): Diagnostic[] {
  const all = invalidSequences(bytes);
  const shown = all.slice(0, MAX_REPORTED);
  return shown.map((s, i) => {
    const hex = Array.from(bytes.subarray(s.byteOffset, s.byteOffset + s.byteLength), (b) => "0x" + b.toString(16).toUpperCase().padStart(2, "0"));
    const what = s.byteLength === 1 ? `byte ${hex[0]}` : `bytes ${hex.join(" ")}`;
    const notes = [`source files must be UTF-8; this is byte offset ${s.byteOffset} of the file`];
    const rest = all.length - shown.length;
    if (i === shown.length - 1 && rest > 0) notes.push(`${rest} more invalid byte sequence${rest === 1 ? "" : "s"} not shown`);
    return {
      code: C.InvalidUtf8,
      severity: "error",
      phase: "lex",
      message: `invalid UTF-8: ${what} ${startsSequence(bytes[s.byteOffset]) ? `${s.byteLength === 1 ? "is" : "are"} not a complete character` : "cannot start a character"}`,
      span: map.span(s.textOffset, 1),
      notes,
    } satisfies Diagnostic;
  });
}

// A lead byte: an invalid sequence starting with one was cut short.
function startsSequence(b: number): boolean {
  return b >= 0xc2 && b <= 0xf4;
}
