// Reference for longest_common_subsequence.kara.
function lcs(x, y) {
  const n = x.length;
  const m = y.length;
  const dp = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++) dp[i][j] = x[i - 1] === y[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  let i = n;
  let j = m;
  const out = [];
  while (i > 0 && j > 0) {
    if (x[i - 1] === y[j - 1]) {
      out.push(x[i - 1]);
      i--;
      j--;
    } else if (dp[i - 1][j] >= dp[i][j - 1]) i--;
    else j--;
  }
  return [dp[n][m], out.reverse().join("")];
}
const tup = (p) => `(${p[0]}, ${p[1]})`;
console.log(tup(lcs("abcde", "ace")));
console.log(tup(lcs("abc", "def")));
console.log(tup(lcs("AGGTAB", "GXTXAYB")));
let seed = 99;
let a = "";
let b = "";
for (let k = 0; k < 300; k++) {
  seed = (seed * 48271) % 2147483647;
  a += String.fromCharCode(97 + (seed % 4));
  seed = (seed * 48271) % 2147483647;
  b += String.fromCharCode(97 + (seed % 4));
}
const [len, s] = lcs(a, b);
console.log(len);
console.log(s.slice(0, 20));
