// Reference for rotting_oranges.kara (level-by-level BFS).
function minutes(grid) {
  const g = grid.map((r) => [...r]);
  let frontier = [];
  let fresh = 0;
  g.forEach((row, r) => row.forEach((v, c) => { if (v === 2) frontier.push([r, c]); if (v === 1) fresh++; }));
  let t = 0;
  while (true) {
    const next = [];
    for (const [r, c] of frontier)
      for (const [dr, dc] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
        const nr = r + dr;
        const nc = c + dc;
        if (nr >= 0 && nr < g.length && nc >= 0 && nc < g[0].length && g[nr][nc] === 1) {
          g[nr][nc] = 2;
          fresh--;
          next.push([nr, nc]);
        }
      }
    if (next.length === 0) break;
    frontier = next;
    t++;
  }
  return fresh > 0 ? -1 : t;
}
console.log(minutes([[2, 1, 1], [1, 1, 0], [0, 1, 1]]));
console.log(minutes([[2, 1, 1], [0, 1, 1], [1, 0, 1]]));
console.log(minutes([[0, 2]]));
console.log(minutes([[1]]));
let seed = 41;
for (let trial = 0; trial < 4; trial++) {
  const g = [];
  for (let i = 0; i < 40; i++) {
    const row = [];
    for (let j = 0; j < 40; j++) {
      seed = (seed * 48271) % 2147483647;
      const k = seed % 100;
      row.push(k < 2 ? 2 : k < 90 - trial * 5 ? 1 : 0);
    }
    g.push(row);
  }
  console.log(`trial ${trial}: ${minutes(g)}`);
}
