// Reference for validate_bst.kara (recursive LCA instead of a loop).
function insert(root, v) {
  if (root === null) return { val: v, left: null, right: null };
  if (v < root.val) root.left = insert(root.left, v);
  else root.right = insert(root.right, v);
  return root;
}
const valid = (t, lo, hi) => t === null || (t.val >= lo && t.val < hi && valid(t.left, lo, t.val) && valid(t.right, t.val, hi));
function lca(t, a, b) {
  if (t === null) return -1;
  if (a < t.val && b < t.val) return lca(t.left, a, b);
  if (a > t.val && b > t.val) return lca(t.right, a, b);
  return t.val;
}
function find(t, v) {
  if (t === null) return null;
  if (v === t.val) return t;
  return find(v < t.val ? t.left : t.right, v);
}
let root = null;
for (const v of [6, 2, 8, 0, 4, 7, 9, 3, 5]) root = insert(root, v);
console.log(valid(root, -Infinity, Infinity));
console.log(lca(root, 2, 8));
console.log(lca(root, 2, 4));
console.log(lca(root, 3, 5));
console.log(lca(root, 7, 9));
console.log(lca(root, 0, 5));
find(root, 4).val = 10;
console.log(valid(root, -Infinity, Infinity));
let big = null;
let seed = 77;
const keys = [];
for (let i = 0; i < 500; i++) {
  seed = (seed * 48271) % 2147483647;
  keys.push(seed % 1000000);
  big = insert(big, seed % 1000000);
}
console.log(valid(big, -Infinity, Infinity));
let total = 0;
for (let i = 0; i < 100; i++) total += lca(big, keys[i], keys[499 - i]) % 1000;
console.log(total);
