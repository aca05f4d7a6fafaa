// Reference for edit_distance.kara (full 2-D table, a different layout from the Kāra version).
function distance(a, b) {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length][b.length];
}
console.log(distance("horse", "ros"));
console.log(distance("intention", "execution"));
console.log(distance("", "abc"));
console.log(distance("kitten", "sitting"));
console.log(distance("same", "same"));
let seed = 17;
for (const len of [50, 200, 400]) {
  let a = "";
  let b = "";
  for (let k = 0; k < len; k++) {
    seed = (seed * 48271) % 2147483647;
    a += String.fromCharCode(97 + (seed % 3));
    seed = (seed * 48271) % 2147483647;
    b += String.fromCharCode(97 + (seed % 3));
  }
  console.log(`${len}: ${distance(a, b)}`);
}
