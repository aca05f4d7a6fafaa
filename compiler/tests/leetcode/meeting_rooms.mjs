// Reference for meeting_rooms.kara (sweep over +1/-1 events; an end sorts before a start at the same time).
function rooms(meetings) {
  const events = [];
  for (const [s, e] of meetings) events.push([s, 1], [e, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let used = 0;
  let best = 0;
  for (const [, d] of events) {
    used += d;
    best = Math.max(best, used);
  }
  return best;
}
console.log(rooms([[0, 30], [5, 10], [15, 20]]));
console.log(rooms([[7, 10], [2, 4]]));
console.log(rooms([[1, 5], [5, 10], [10, 15]]));
console.log(rooms([[1, 10], [2, 9], [3, 8], [4, 7]]));
let seed = 61;
for (const n of [10, 100, 1000]) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    seed = (seed * 48271) % 2147483647;
    const s = seed % 1440;
    seed = (seed * 48271) % 2147483647;
    ms.push([s, s + 15 + (seed % 90)]);
  }
  console.log(`${n} meetings: ${rooms(ms)} rooms`);
}
