// Reference for bst_operations.kara.
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function insert(root, v) {
  if (root === null) return { val: v, left: null, right: null };
  if (v < root.val) root.left = insert(root.left, v);
  else root.right = insert(root.right, v);
  return root;
}
const depth = (t) => (t === null ? 0 : 1 + Math.max(depth(t.left), depth(t.right)));
function inorder(t, out) {
  if (t === null) return out;
  inorder(t.left, out);
  out.push(t.val);
  inorder(t.right, out);
  return out;
}
function invert(t) {
  if (t === null) return;
  [t.left, t.right] = [t.right, t.left];
  invert(t.left);
  invert(t.right);
}
const leaves = (t) => (t === null ? 0 : t.left === null && t.right === null ? 1 : leaves(t.left) + leaves(t.right));
let root = null;
for (const v of [50, 30, 70, 20, 40, 60, 80, 35, 45, 65]) root = insert(root, v);
console.log(depth(root));
console.log(show(inorder(root, [])));
invert(root);
console.log(show(inorder(root, [])));
console.log(leaves(root));
let big = null;
let seed = 1234;
for (let i = 0; i < 1000; i++) {
  seed = (seed * 48271) % 2147483647;
  big = insert(big, seed % 100000);
}
const all = inorder(big, []);
const sortedOk = all.every((x, i) => i === 0 || all[i - 1] <= x);
console.log(`${all.length} nodes, depth ${depth(big)}, ${leaves(big)} leaves, sorted ${sortedOk}, min ${all[0]}, max ${all[all.length - 1]}`);
