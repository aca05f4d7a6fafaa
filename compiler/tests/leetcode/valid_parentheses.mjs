// Reference for valid_parentheses.kara.
function isValid(s) {
  const st = [];
  const open = { ")": "(", "]": "[", "}": "{" };
  for (const c of s) {
    if (c === "(" || c === "[" || c === "{") st.push(c);
    else if (c in open) {
      if (st.length === 0 || st.pop() !== open[c]) return false;
    }
  }
  return st.length === 0;
}
for (const c of ["()", "()[]{}", "(]", "([)]", "{[]}", "", "((", "a(b)c"]) console.log(`'${c}' ${isValid(c)}`);
const alphabet = ["(", ")", "[", "]"];
for (const n of [2, 4, 6, 8]) {
  const total = 4 ** n;
  let valid = 0;
  for (let code = 0; code < total; code++) {
    let s = "";
    let x = code;
    for (let k = 0; k < n; k++) {
      s += alphabet[x % 4];
      x = Math.floor(x / 4);
    }
    if (isValid(s)) valid++;
  }
  console.log(`length ${n}: ${valid} of ${total}`);
}
