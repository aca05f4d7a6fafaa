// Reference for longest_substring.kara.
function longest(s) {
  const last = new Map();
  let best = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const prev = last.has(s[i]) ? last.get(s[i]) : -1;
    if (prev >= start) start = prev + 1;
    last.set(s[i], i);
    best = Math.max(best, i - start + 1);
  }
  return best;
}
for (const s of ["abcabcbb", "bbbbb", "pwwkew", "", "dvdf", "abba", "tmmzuxt"]) console.log(`${s}: ${longest(s)}`);
let seed = 11;
for (const alpha of [5, 12, 26]) {
  let s = "";
  for (let k = 0; k < 5000; k++) {
    seed = (seed * 48271) % 2147483647;
    s += String.fromCharCode(97 + (seed % alpha));
  }
  console.log(`alphabet ${alpha}: ${longest(s)}`);
}
