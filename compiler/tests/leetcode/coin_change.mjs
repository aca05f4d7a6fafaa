// Reference for coin_change.kara.
function minCoins(coins, amount) {
  const dp = new Array(amount + 1).fill(Infinity);
  dp[0] = 0;
  for (let a = 1; a <= amount; a++) for (const c of coins) if (c <= a) dp[a] = Math.min(dp[a], dp[a - c] + 1);
  return dp[amount] === Infinity ? -1 : dp[amount];
}
function combinations(coins, amount) {
  const ways = new Array(amount + 1).fill(0);
  ways[0] = 1;
  for (const c of coins) for (let a = c; a <= amount; a++) ways[a] += ways[a - c];
  return ways[amount];
}
console.log(minCoins([1, 2, 5], 11));
console.log(minCoins([2], 3));
console.log(minCoins([1], 0));
console.log(minCoins([186, 419, 83, 408], 6249));
console.log(combinations([1, 2, 5], 5));
console.log(combinations([2], 3));
console.log(combinations([1, 2, 5, 10, 20, 50, 100, 200], 1000));
for (const amount of [99, 1234, 9999]) console.log(`${amount}: ${minCoins([3, 7, 11, 25], amount)} coins, ${combinations([3, 7, 11, 25], amount)} ways`);
