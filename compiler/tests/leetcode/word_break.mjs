// Reference for word_break.kara (memoised recursion from the front).
function ways(s, dict) {
  const memo = new Map();
  const go = (i) => {
    if (i === s.length) return 1;
    if (memo.has(i)) return memo.get(i);
    let total = 0;
    for (let j = i + 1; j <= s.length; j++) if (dict.has(s.slice(i, j))) total += go(j);
    memo.set(i, total);
    return total;
  };
  return go(0);
}
const d3 = new Set(["cats", "dog", "sand", "and", "cat"]);
console.log(ways("leetcode", new Set(["leet", "code"])) > 0);
console.log(ways("applepenapple", new Set(["apple", "pen"])) > 0);
console.log(ways("catsandog", d3) > 0);
console.log(ways("catsanddog", d3));
let s = "";
for (let i = 0; i < 40; i++) s += i % 3 === 2 ? "b" : "a";
console.log(ways(s, new Set(["a", "b", "ab", "ba", "aba"])));
console.log(ways("pineapplepenapple", new Set(["apple", "pen", "applepen", "pine", "pineapple"])));
