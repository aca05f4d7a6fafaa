// Small statistics helpers. Every figure in the bench is a median of interleaved repetitions, so
// a burst of load from other processes hits all the variants being compared alike.

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs every variant once per round, round after round (A B C A B C …), and returns the samples of
 * each variant. Interleaving keeps ratios meaningful on a machine whose load changes over time.
 */
export async function interleave<K extends string>(
  rounds: number,
  variants: Record<K, () => Promise<number> | number>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(variants) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  // One untimed call each first: the first run of anything pays for JIT warm-up and lazy loading.
  for (const k of keys) await variants[k]();
  for (let r = 0; r < rounds; r++) {
    // Alternate the order too, so no variant always runs right after the same neighbour.
    const order = r % 2 === 0 ? keys : [...keys].reverse();
    for (const k of order) samples[k].push(await variants[k]());
  }
  return samples;
}

export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}
