// Reference for n_queens.kara (bitmask backtracking).
function solve(n) {
  const full = (1 << n) - 1;
  const go = (cols, l, r) => {
    if (cols === full) return 1;
    let total = 0;
    let free = full & ~(cols | l | r);
    while (free) {
      const bit = free & -free;
      free -= bit;
      total += go(cols | bit, ((l | bit) << 1) & full, (r | bit) >> 1);
    }
    return total;
  };
  return go(0, 0, 0);
}
const counts = [];
for (let n = 1; n <= 9; n++) counts.push(solve(n));
console.log("[" + counts.join(", ") + "]");
