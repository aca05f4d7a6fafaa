// Reference for roman_numerals.kara (digit-by-digit tables).
function toInt(s) {
  const v = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let total = 0;
  for (let i = 0; i < s.length; i++) total += i + 1 < s.length && v[s[i]] < v[s[i + 1]] ? -v[s[i]] : v[s[i]];
  return total;
}
function toRoman(n) {
  const th = ["", "M", "MM", "MMM"];
  const h = ["", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"];
  const t = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"];
  const o = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
  return th[Math.floor(n / 1000)] + h[Math.floor(n / 100) % 10] + t[Math.floor(n / 10) % 10] + o[n % 10];
}
for (const s of ["III", "LVIII", "MCMXCIV", "IV", "MMMCMXCIX"]) console.log(`${s} = ${toInt(s)}`);
for (const n of [3, 58, 1994, 3888, 444]) console.log(`${n} = ${toRoman(n)}`);
let totalLen = 0;
let mismatches = 0;
let longest = 0;
for (let n = 1; n <= 3999; n++) {
  const r = toRoman(n);
  totalLen += r.length;
  if (r.length > toRoman(longest).length) longest = n;
  if (toInt(r) !== n) mismatches++;
}
console.log(`${totalLen} ${mismatches} ${longest}`);
