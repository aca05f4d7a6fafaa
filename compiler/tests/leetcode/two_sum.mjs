// Reference for two_sum.kara.
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function twoSum(nums, target) {
  const seen = new Map();
  for (let i = 0; i < nums.length; i++) {
    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];
    seen.set(nums[i], i);
  }
  return [];
}
console.log(show(twoSum([2, 7, 11, 15], 9)));
console.log(show(twoSum([3, 2, 4], 6)));
console.log(show(twoSum([3, 3], 6)));
console.log(show(twoSum([1, 2, 3], 100)));
let seed = 7;
const nums = [];
for (let k = 0; k < 2000; k++) {
  seed = (seed * 48271) % 2147483647;
  nums.push(seed % 100000);
}
for (const t of [nums[10] + nums[1990], 123456, 777, nums[0] + nums[1]]) console.log(`${t}: ${show(twoSum(nums, t))}`);
