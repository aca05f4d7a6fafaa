// Reference for group_anagrams.kara.
const show = (v) => (Array.isArray(v) ? "[" + v.map(show).join(", ") + "]" : String(v));
const cmpStr = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
function cmpArr(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmpStr(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
function group(words) {
  const byKey = new Map();
  for (const w of words) {
    const k = [...w].sort().join("");
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k).push(w);
  }
  return [...byKey.values()].map((g) => [...g].sort(cmpStr)).sort(cmpArr);
}
console.log(show(group(["eat", "tea", "tan", "ate", "nat", "bat"])));
console.log(show(group(["", "b", ""])));
let seed = 5;
const words = [];
for (let i = 0; i < 400; i++) {
  let w = "";
  for (let j = 0; j < 3; j++) {
    seed = (seed * 48271) % 2147483647;
    w += String.fromCharCode(97 + (seed % 5));
  }
  words.push(w);
}
const groups = group(words);
console.log(`${groups.length} groups, biggest ${Math.max(...groups.map((g) => g.length))}`);
console.log(show(groups[0]));
console.log(groups[groups.length - 1].length);
