// Reference for linked_list.kara (plain arrays instead of nodes).
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
function merge(a, b) {
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] <= b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}
const middle = (v) => v[Math.floor(v.length / 2)];
console.log(show([1, 2, 3, 4, 5].reverse()));
console.log(show([7]));
console.log(show(merge([1, 2, 4], [1, 3, 4])));
console.log(show(merge([], [0])));
console.log(middle([1, 2, 3, 4, 5]));
console.log(middle([1, 2, 3, 4, 5, 6]));
let seed = 71;
const a = [];
const b = [];
let x = 0;
let y = 0;
for (let i = 0; i < 300; i++) {
  seed = (seed * 48271) % 2147483647;
  x += seed % 10;
  a.push(x);
  seed = (seed * 48271) % 2147483647;
  y += seed % 7;
  b.push(y);
}
const merged = merge(a, b);
let checksum = 0;
for (const v of merged) checksum = (checksum * 31 + v) % 1000000007;
console.log(`${merged.length} ${merged[0]} ${merged[599]} ${checksum}`);
console.log(middle([...merged].reverse()));
