// Reference for subsets_permutations.kara (bitmask subsets, Heap-free recursive permutations by picking unused items).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function cmpArr(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
function subsets(nums) {
  const out = [];
  for (let mask = 0; mask < 1 << nums.length; mask++) out.push(nums.filter((_, i) => mask & (1 << i)));
  return out.sort(cmpArr);
}
function permutations(items) {
  if (items.length === 0) return [[]];
  const out = [];
  items.forEach((x, i) => {
    for (const rest of permutations(items.filter((_, j) => j !== i))) out.push([x, ...rest]);
  });
  return out;
}
console.log(show(subsets([1, 2, 3])));
console.log(show(permutations([1, 2, 3]).sort(cmpArr)));
const all = permutations([1, 2, 3, 4, 5, 6, 7]);
let fixedPoints = 0;
for (const p of all) p.forEach((x, i) => { if (x === i + 1) fixedPoints++; });
console.log(`${all.length} permutations, ${fixedPoints} fixed points`);
const nums = [3, 34, 4, 12, 5, 2, 7, 19, 8, 1, 15, 6, 11, 9, 13, 10];
let count = 0;
for (let mask = 0; mask < 1 << nums.length; mask++) {
  let s = 0;
  for (let i = 0; i < nums.length; i++) if (mask & (1 << i)) s += nums[i];
  if (s === 40) count++;
}
console.log(count);
