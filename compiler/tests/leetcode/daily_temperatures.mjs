// Reference for daily_temperatures.kara (scanning from the right with jumps).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function waits(t) {
  const ans = new Array(t.length).fill(0);
  for (let i = t.length - 2; i >= 0; i--) {
    let j = i + 1;
    while (j < t.length && t[j] <= t[i]) j = ans[j] === 0 ? t.length : j + ans[j];
    ans[i] = j < t.length ? j - i : 0;
  }
  return ans;
}
console.log(show(waits([73, 74, 75, 71, 69, 72, 76, 73])));
console.log(show(waits([30, 40, 50, 60])));
console.log(show(waits([30, 60, 90])));
console.log(show(waits([90, 80, 70])));
let seed = 2024;
const temps = [];
for (let i = 0; i < 3000; i++) {
  seed = (seed * 48271) % 2147483647;
  temps.push(30 + (seed % 71));
}
const w = waits(temps);
console.log(`sum ${w.reduce((a, b) => a + b, 0)}, longest ${Math.max(...w)}, never warmer ${w.filter((x) => x === 0).length}`);
