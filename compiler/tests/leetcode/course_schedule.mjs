// Reference for course_schedule.kara (Kahn's algorithm with a FIFO queue; cycle found when not every node is emitted).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function order(n, prereqs) {
  const adj = Array.from({ length: n }, () => []);
  const indeg = new Array(n).fill(0);
  for (const [course, before] of prereqs) {
    adj[before].push(course);
    indeg[course]++;
  }
  const out = [];
  const queue = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  while (queue.length > 0) {
    const u = queue.shift();
    out.push(u);
    for (const v of adj[u]) if (--indeg[v] === 0) queue.push(v);
  }
  return out.length === n ? out : null;
}
const showOpt = (o) => (o === null ? "None" : `Some(${show(o)})`);
console.log(showOpt(order(2, [[1, 0]])));
console.log(showOpt(order(2, [[1, 0], [0, 1]])));
console.log(showOpt(order(4, [[1, 0], [2, 0], [3, 1], [3, 2]])));
console.log(showOpt(order(3, [])));
let seed = 55;
const edges = [];
for (let i = 0; i < 600; i++) {
  seed = (seed * 48271) % 2147483647;
  const a = seed % 200;
  seed = (seed * 48271) % 2147483647;
  const b = seed % 200;
  if (a < b) edges.push([b, a]);
  else if (b < a) edges.push([a, b]);
}
const o = order(200, edges);
console.log(o === null ? "cycle" : `ok ${o.length} first ${o[0]} last ${o[199]}`);
edges.push([0, 199], [199, 150], [150, 0]);
console.log(order(200, edges) !== null);
