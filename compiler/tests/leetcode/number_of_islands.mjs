// Reference for number_of_islands.kara (recursive flood fill).
function countIslands(grid) {
  const g = grid.map((r) => [...r]);
  let count = 0;
  const fill = (y, x) => {
    if (y < 0 || y >= g.length || x < 0 || x >= g[0].length || g[y][x] !== "1") return;
    g[y][x] = "0";
    fill(y + 1, x);
    fill(y - 1, x);
    fill(y, x + 1);
    fill(y, x - 1);
  };
  for (let r = 0; r < g.length; r++)
    for (let c = 0; c < g[0].length; c++)
      if (g[r][c] === "1") {
        count++;
        fill(r, c);
      }
  return count;
}
console.log(countIslands(["11110", "11010", "11000", "00000"]));
console.log(countIslands(["11000", "11000", "00100", "00011"]));
console.log(countIslands(["101", "010", "101"]));
let seed = 23;
for (const density of [2, 3, 5]) {
  const g = [];
  for (let i = 0; i < 60; i++) {
    const row = [];
    for (let j = 0; j < 60; j++) {
      seed = (seed * 48271) % 2147483647;
      row.push(seed % density === 0 ? "1" : "0");
    }
    g.push(row);
  }
  console.log(`density 1/${density}: ${countIslands(g)}`);
}
