// Reference for product_except_self.kara (quadratic: multiply everything but i).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function products(nums) {
  return nums.map((_, i) => nums.reduce((acc, x, j) => (j === i ? acc : acc * x), 1) + 0);
}
console.log(show(products([1, 2, 3, 4])));
console.log(show(products([-1, 1, 0, -3, 3])));
console.log(show(products([5, 7])));
let seed = 13;
const nums = [];
for (let i = 0; i < 16; i++) {
  seed = (seed * 48271) % 2147483647;
  nums.push((seed % 9) - 4);
}
console.log(show(nums));
console.log(show(products(nums)));
