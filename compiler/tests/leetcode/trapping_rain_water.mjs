// Reference for trapping_rain_water.kara (prefix and suffix maxima arrays).
function trap(h) {
  const n = h.length;
  const left = new Array(n).fill(0);
  const right = new Array(n).fill(0);
  for (let i = 0; i < n; i++) left[i] = Math.max(h[i], i > 0 ? left[i - 1] : 0);
  for (let i = n - 1; i >= 0; i--) right[i] = Math.max(h[i], i < n - 1 ? right[i + 1] : 0);
  let water = 0;
  for (let i = 0; i < n; i++) water += Math.min(left[i], right[i]) - h[i];
  return water;
}
console.log(trap([0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1]));
console.log(trap([4, 2, 0, 3, 2, 5]));
console.log(trap([]));
console.log(trap([5, 4, 3, 2, 1]));
console.log(trap([2, 0, 2]));
let seed = 8;
for (const n of [100, 1000, 10000]) {
  const h = [];
  for (let i = 0; i < n; i++) {
    seed = (seed * 48271) % 2147483647;
    h.push(seed % 50);
  }
  console.log(`${n}: ${trap(h)}`);
}
