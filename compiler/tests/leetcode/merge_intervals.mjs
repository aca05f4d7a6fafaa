// Reference for merge_intervals.kara.
const tup = (p) => `(${p[0]}, ${p[1]})`;
const showList = (v) => "[" + v.map(tup).join(", ") + "]";
function merge(iv) {
  const v = [...iv].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = [];
  for (const [s, e] of v) {
    if (out.length > 0 && out[out.length - 1][1] >= s) out[out.length - 1][1] = Math.max(out[out.length - 1][1], e);
    else out.push([s, e]);
  }
  return out;
}
console.log(showList(merge([[1, 3], [2, 6], [8, 10], [15, 18]])));
console.log(showList(merge([[1, 4], [4, 5]])));
console.log(showList(merge([[5, 7], [1, 2], [0, 9]])));
let seed = 3;
const iv = [];
for (let i = 0; i < 500; i++) {
  seed = (seed * 48271) % 2147483647;
  const s = seed % 10000;
  seed = (seed * 48271) % 2147483647;
  iv.push([s, s + (seed % 40)]);
}
const m = merge(iv);
let covered = 0;
for (const [s, e] of m) covered += e - s;
console.log(`${m.length} merged, covering ${covered}`);
console.log(tup(m[0]));
console.log(tup(m[m.length - 1]));
