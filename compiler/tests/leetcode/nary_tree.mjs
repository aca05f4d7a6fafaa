// Reference for nary_tree.kara (children lists by index, iterative post-order for subtree sums).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function analyse(parents, vals) {
  const n = parents.length;
  const kids = Array.from({ length: n }, () => []);
  for (let i = 1; i < n; i++) kids[parents[i]].push(i);
  const depthOf = new Array(n).fill(1);
  const order = [];
  const stack = [0];
  while (stack.length > 0) {
    const u = stack.pop();
    order.push(u);
    for (let j = kids[u].length - 1; j >= 0; j--) {
      depthOf[kids[u][j]] = depthOf[u] + 1;
      stack.push(kids[u][j]);
    }
  }
  const sums = [...vals];
  for (let k = order.length - 1; k >= 0; k--) {
    const u = order[k];
    for (const c of kids[u]) sums[u] += sums[c];
  }
  const levels = [];
  for (let i = 0; i < n; i++) levels[depthOf[i] - 1] = (levels[depthOf[i] - 1] ?? 0) + vals[i];
  return { depth: Math.max(...depthOf), total: sums[0], best: Math.max(...sums), order, levels };
}
const small = analyse([-1, 0, 0, 1, 1, 2, 5], [5, -3, 8, 4, 1, -2, 6]);
console.log(small.depth);
console.log(small.total);
console.log(small.best);
console.log(show(small.order));
console.log(show(small.levels));
let seed = 314;
const ps = [-1];
const vs = [0];
for (let i = 1; i < 2000; i++) {
  seed = (seed * 48271) % 2147483647;
  ps.push(seed % i);
  seed = (seed * 48271) % 2147483647;
  vs.push((seed % 201) - 100);
}
const big = analyse(ps, vs);
console.log(`depth ${big.depth}, total ${big.total}, best subtree ${big.best}, ${big.levels.length} levels, level 1 sum ${big.levels[1]}`);
