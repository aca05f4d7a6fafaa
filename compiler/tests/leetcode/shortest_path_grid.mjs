// Reference for shortest_path_grid.kara (Dijkstra-free: repeated relaxation until nothing changes).
function shortest(grid) {
  const n = grid.length;
  if (grid[0][0] === 1 || grid[n - 1][n - 1] === 1) return -1;
  const INF = Infinity;
  const dist = Array.from({ length: n }, () => new Array(n).fill(INF));
  dist[0][0] = 1;
  let changed = true;
  while (changed) {
    changed = false;
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        if (grid[r][c] === 1 || dist[r][c] === INF) continue;
        for (let dr = -1; dr <= 1; dr++)
          for (let dc = -1; dc <= 1; dc++) {
            const nr = r + dr;
            const nc = c + dc;
            if (nr < 0 || nr >= n || nc < 0 || nc >= n || grid[nr][nc] === 1) continue;
            if (dist[r][c] + 1 < dist[nr][nc]) {
              dist[nr][nc] = dist[r][c] + 1;
              changed = true;
            }
          }
      }
  }
  return dist[n - 1][n - 1] === INF ? -1 : dist[n - 1][n - 1];
}
console.log(shortest([[0, 1], [1, 0]]));
console.log(shortest([[0, 0, 0], [1, 1, 0], [1, 1, 0]]));
console.log(shortest([[1, 0, 0], [1, 1, 0], [1, 1, 0]]));
console.log(shortest([[0]]));
let seed = 19;
for (const wall of [20, 35, 45]) {
  const g = [];
  for (let r = 0; r < 50; r++) {
    const row = [];
    for (let c = 0; c < 50; c++) {
      seed = (seed * 48271) % 2147483647;
      const blocked = seed % 100 < wall && !(r === 0 && c === 0) && !(r === 49 && c === 49);
      row.push(blocked ? 1 : 0);
    }
    g.push(row);
  }
  console.log(`walls ${wall}%: ${shortest(g)}`);
}
