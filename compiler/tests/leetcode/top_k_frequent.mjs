// Reference for top_k_frequent.kara (bucket by count, ties broken by smaller value).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function topK(nums, k) {
  const counts = new Map();
  for (const x of nums) counts.set(x, (counts.get(x) ?? 0) + 1);
  const buckets = [];
  for (const [v, c] of counts) (buckets[c] ??= []).push(v);
  const out = [];
  for (let c = buckets.length - 1; c > 0 && out.length < k; c--) {
    if (!buckets[c]) continue;
    for (const v of buckets[c].sort((a, b) => a - b)) if (out.length < k) out.push(v);
  }
  return out;
}
console.log(show(topK([1, 1, 1, 2, 2, 3], 2)));
console.log(show(topK([1], 1)));
console.log(show(topK([4, 4, 5, 5, 6], 3)));
let seed = 9;
const nums = [];
for (let i = 0; i < 5000; i++) {
  seed = (seed * 48271) % 2147483647;
  const a = seed % 40;
  seed = (seed * 48271) % 2147483647;
  nums.push((a * (seed % 40)) % 97);
}
console.log(show(topK(nums, 5)));
