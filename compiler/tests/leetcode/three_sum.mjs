// Reference for three_sum.kara (hash set of seen triples over a sorted copy).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function threeSum(input) {
  const v = [...input].sort((a, b) => a - b);
  const seen = new Set();
  const out = [];
  for (let i = 0; i < v.length; i++)
    for (let j = i + 1; j < v.length; j++) {
      const need = -(v[i] + v[j]);
      let lo = j + 1;
      let hi = v.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (v[mid] < need) lo = mid + 1;
        else hi = mid - 1;
      }
      if (lo < v.length && v[lo] === need) {
        const key = `${v[i]},${v[j]},${need}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push([v[i], v[j], need]);
        }
      }
    }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}
console.log(show(threeSum([-1, 0, 1, 2, -1, -4])));
console.log(show(threeSum([0, 1, 1])));
console.log(show(threeSum([0, 0, 0, 0])));
console.log(show(threeSum([-2, 0, 1, 1, 2])));
let seed = 31;
const nums = [];
for (let i = 0; i < 300; i++) {
  seed = (seed * 48271) % 2147483647;
  nums.push((seed % 101) - 50);
}
const r = threeSum(nums);
console.log(r.length);
console.log(show(r[0]));
console.log(show(r[r.length - 1]));
