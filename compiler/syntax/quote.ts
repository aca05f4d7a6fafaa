// Source text quoted inside a diagnostic message. Control characters (NUL included), U+FFFD,
// lone surrogates and bidirectional-override characters are written as Kāra escapes (`\n`,
// `\t`, `\r`, `\0`, otherwise `\u{..}`), and long text is cut short with "…", so a message
// never carries raw binary, invisible characters or kilobytes of input.

const SHORT_ESCAPES = new Map([[0, "\\0"], [9, "\\t"], [10, "\\n"], [13, "\\r"]]);
const BIDI_CONTROLS = new Set([0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

function needsEscape(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xfffd || (cp >= 0xd800 && cp <= 0xdfff) || BIDI_CONTROLS.has(cp);
}

// At most `max` characters of `text`, escaped as described above.
export function shownSource(text: string, max = 40): string {
  let out = "";
  let count = 0;
  for (const ch of text) {
    if (count === max) return out + "…";
    const cp = ch.codePointAt(0)!;
    out += needsEscape(cp) ? (SHORT_ESCAPES.get(cp) ?? `\\u{${cp.toString(16).toUpperCase()}}`) : ch;
    count++;
  }
  return out;
}
