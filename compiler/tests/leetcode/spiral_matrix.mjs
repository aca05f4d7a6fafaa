// Reference for spiral_matrix.kara (direction turning with a visited grid).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function spiral(m) {
  const rows = m.length;
  const cols = m[0].length;
  const seen = m.map((r) => r.map(() => false));
  const dirs = [[0, 1], [1, 0], [0, -1], [-1, 0]];
  const out = [];
  let r = 0;
  let c = 0;
  let d = 0;
  for (let k = 0; k < rows * cols; k++) {
    out.push(m[r][c]);
    seen[r][c] = true;
    const nr = r + dirs[d][0];
    const nc = c + dirs[d][1];
    if (nr < 0 || nr >= rows || nc < 0 || nc >= cols || seen[nr][nc]) d = (d + 1) % 4;
    r += dirs[d][0];
    c += dirs[d][1];
  }
  return out;
}
const grid = (rows, cols) => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => r * cols + c + 1));
console.log(show(spiral(grid(3, 3))));
console.log(show(spiral(grid(3, 4))));
console.log(show(spiral(grid(1, 1))));
console.log(show(spiral(grid(4, 1))));
console.log(show(spiral(grid(2, 5))));
const big = spiral(grid(30, 17));
let weighted = 0;
for (let i = 0; i < big.length; i++) weighted = (weighted + big[i] * (i + 1)) % 1000003;
console.log(`${big.length} ${big[big.length - 1]} ${weighted}`);
