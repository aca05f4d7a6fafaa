// Reference for container_water.kara (brute force over all pairs).
function mostWater(h) {
  let best = 0;
  for (let i = 0; i < h.length; i++) for (let j = i + 1; j < h.length; j++) best = Math.max(best, (j - i) * Math.min(h[i], h[j]));
  return best;
}
console.log(mostWater([1, 8, 6, 2, 5, 4, 8, 3, 7]));
console.log(mostWater([1, 1]));
console.log(mostWater([4, 3, 2, 1, 4]));
console.log(mostWater([1, 2, 1]));
let seed = 29;
for (const n of [50, 500, 3000]) {
  const h = [];
  for (let i = 0; i < n; i++) {
    seed = (seed * 48271) % 2147483647;
    h.push(seed % 10000);
  }
  console.log(`${n}: ${mostWater(h)}`);
}
