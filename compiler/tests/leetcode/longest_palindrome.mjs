// Reference for longest_palindrome.kara (DP table over substrings, first longest by start index).
function longest(s) {
  const n = s.length;
  if (n === 0) return "";
  const pal = Array.from({ length: n }, () => new Array(n).fill(false));
  let bestStart = 0;
  let bestLen = 1;
  for (let i = 0; i < n; i++) pal[i][i] = true;
  for (let len = 2; len <= n; len++)
    for (let i = 0; i + len - 1 < n; i++) {
      const j = i + len - 1;
      pal[i][j] = s[i] === s[j] && (len === 2 || pal[i + 1][j - 1]);
    }
  // Scan centers left to right and keep the first one reaching a strictly longer length.
  for (let c = 0; c < n; c++) {
    for (const [lo0, hi0] of [[c, c], [c, c + 1]]) {
      let lo = lo0;
      let hi = hi0;
      while (lo >= 0 && hi < n && pal[lo][hi]) {
        lo--;
        hi++;
      }
      const len = hi - lo - 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = lo + 1;
      }
    }
  }
  return s.slice(bestStart, bestStart + bestLen);
}
for (const s of ["babad", "cbbd", "a", "", "forgeeksskeegfor", "abacdfgdcaba", "racecar"]) console.log(`'${s}' -> '${longest(s)}'`);
let seed = 5;
let s = "";
for (let i = 0; i < 1500; i++) {
  seed = (seed * 48271) % 2147483647;
  s += seed % 3 === 0 ? "a" : "b";
}
const p = longest(s);
console.log(`${p.length} ${p.slice(0, 10)}`);
