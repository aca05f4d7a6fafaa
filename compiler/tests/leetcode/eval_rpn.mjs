// Reference for eval_rpn.kara.
function evalRpn(tokens) {
  const st = [];
  for (const t of tokens) {
    if (["+", "-", "*", "/"].includes(t)) {
      const b = st.pop();
      const a = st.pop();
      st.push(t === "+" ? a + b : t === "-" ? a - b : t === "*" ? a * b : Math.trunc(a / b));
    } else st.push(Number(t));
  }
  return st.pop();
}
console.log(evalRpn(["2", "1", "+", "3", "*"]));
console.log(evalRpn(["4", "13", "5", "/", "+"]));
console.log(evalRpn(["10", "6", "9", "3", "+", "-11", "*", "/", "*", "17", "+", "5", "+"]));
console.log(evalRpn(["-7", "2", "/"]));
const parts = ["0"];
for (let i = 1; i <= 1000; i++) parts.push(String(i), i % 3 === 0 ? "-" : "+");
console.log(evalRpn(parts));
const prod = ["1"];
for (let i = 1; i <= 15; i++) prod.push(String((i % 4) + 1), "*");
console.log(evalRpn(prod));
