// Floats print the way Rust's `{}` prints f64 (which is what karac does): the shortest digits
// that round-trip, always positional (never exponent form), no trailing ".0". JavaScript's
// Number#toString already finds the shortest round-trip digits; we only re-position them.

export function formatF64(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const s = Math.abs(x).toString();
  const e = s.indexOf("e");
  if (e < 0) return sign + s;
  // d.ddde±k → digits and the position of the decimal point.
  const mantissa = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  const digits = mantissa.replace(".", "");
  const point = (mantissa.indexOf(".") < 0 ? mantissa.length : mantissa.indexOf(".")) + exp;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

// Rust's f64::from_str grammar: optional sign, then inf / infinity / nan (any case) or a
// decimal number with optional fraction and exponent. No whitespace, no hex, no underscores.
const FLOAT_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

export function parseF64(text: string): number | undefined {
  if (!FLOAT_RE.test(text)) return undefined;
  const body = text.replace(/^[+-]/, "").toLowerCase();
  const negative = text.startsWith("-");
  if (body === "nan") return NaN;
  if (body === "inf" || body === "infinity") return negative ? -Infinity : Infinity;
  const v = Number(body);
  return negative ? -v : v;
}
