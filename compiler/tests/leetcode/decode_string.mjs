// Reference for decode_string.kara (recursive descent parser).
function decode(s) {
  let i = 0;
  const parse = () => {
    let out = "";
    while (i < s.length && s[i] !== "]") {
      if (/[0-9]/.test(s[i])) {
        let k = 0;
        while (/[0-9]/.test(s[i])) k = k * 10 + Number(s[i++]);
        i++; // '['
        const inner = parse();
        i++; // ']'
        out += inner.repeat(k);
      } else out += s[i++];
    }
    return out;
  };
  return parse();
}
console.log(decode("3[a]2[bc]"));
console.log(decode("3[a2[c]]"));
console.log(decode("2[abc]3[cd]ef"));
console.log(decode("abc"));
console.log(decode("10[x]"));
const nested = "2[a".repeat(8) + "]".repeat(8);
const d = decode(nested);
console.log(`${d.length} ${d.slice(0, 12)}`);
