// Reference for max_subarray.kara (prefix sums with the minimum prefix so far; first best kept).
function best(v) {
  let bestSum = v[0];
  let from = 0;
  let to = 0;
  let prefix = 0;
  let minPrefix = 0;
  let minAt = -1;
  for (let i = 0; i < v.length; i++) {
    prefix += v[i];
    if (prefix - minPrefix > bestSum) {
      bestSum = prefix - minPrefix;
      from = minAt + 1;
      to = i;
    }
    if (prefix <= minPrefix) {
      minPrefix = prefix;
      minAt = i;
    }
  }
  return `${bestSum} [${from}..${to}]`;
}
for (const c of [[-2, 1, -3, 4, -1, 2, 1, -5, 4], [1], [5, 4, -1, 7, 8], [-3, -1, -2]]) console.log(best(c));
let seed = 101;
const v = [];
for (let i = 0; i < 10000; i++) {
  seed = (seed * 48271) % 2147483647;
  v.push((seed % 201) - 100);
}
console.log(best(v));
