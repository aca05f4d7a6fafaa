// The sequential kernels of bench/programs written by hand in JavaScript, as a programmer would
// write them (plain numbers, typed arrays), plus reference answers for the parallel programs.
// All intermediate values stay below 2^53, so doubles compute the exact i64 results.

export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function twoSum(n: number): number {
  const v = new Float64Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    v[i] = x % 10000;
  }
  const target = 9999;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = v[i];
    for (let j = i + 1; j < n; j++) if (a + v[j] === target) count++;
  }
  return count;
}

export function sieve(n: number): number {
  const composite = new Uint8Array(n);
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (!composite[i]) {
      count++;
      for (let j = i * i; j < n; j += i) composite[j] = 1;
    }
  }
  return count;
}

export function matmul(n: number): number {
  const a = new Float64Array(n * n);
  const b = new Float64Array(n * n);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      a[i * n + j] = (i * 7 + j * 3) % 100;
      b[i * n + j] = (i * 5 + j * 11) % 100;
    }
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  let sum = 0;
  for (let i = 0; i < n * n; i++) sum = (sum + c[i]) % 1000000007;
  return sum;
}

/** Kernel name → JS function with the same problem size as bench/programs/<name>.kara. */
export const JS_KERNELS: Record<string, () => number> = {
  fib: () => fib(30),
  two_sum: () => twoSum(3000),
  sieve: () => sieve(2000000),
  matmul: () => matmul(120),
};

function churn(seed: number, rounds: number): number {
  let acc = seed % 1000003;
  for (let i = 0; i < rounds; i++) acc = (acc * 31 + i) % 1000003;
  return acc;
}

function weight(i: number): number {
  let acc = i;
  for (let k = 0; k < 200; k++) acc = (acc * 31 + k) % 1000003;
  return acc;
}

const answers = new Map<string, string>();

/** Expected stdout of every program in bench/programs, computed independently of the compiler. */
export function expectedOutput(name: string): string {
  let a = answers.get(name);
  if (a === undefined) answers.set(name, (a = computeExpected(name)));
  return a;
}

function computeExpected(name: string): string {
  const line = (x: number): string => `${x}\n`;
  switch (name) {
    case "fib":
      return line(fib(30));
    case "par_fib":
      return line(fib(37));
    case "two_sum":
      return line(twoSum(3000));
    case "sieve":
      return line(sieve(2000000));
    case "matmul":
      return line(matmul(120));
    case "taskgroup_fanout": {
      let total = 0;
      for (let t = 0; t < 16; t++) total = (total + churn(t, 4000000)) % 1000003;
      return line(total);
    }
    case "auto_par":
      return line(churn(1, 16000000) + churn(2, 16000000) + churn(3, 16000000) + churn(4, 16000000));
    case "reduction": {
      let total = 0;
      for (let i = 0; i < 320000; i++) total += weight(i);
      return line(total);
    }
    case "spawn_cost":
    case "spawn_base": {
      let s = 0;
      for (let i = 0; i < 20000; i++) s += i % 7;
      return line(s);
    }
    case "par_dispatch":
    case "par_dispatch_base": {
      let s = 0;
      for (let i = 0; i < 20000; i++) s += (i % 7) + (i % 11);
      return line(s);
    }
    default:
      throw new Error(`no expected output for ${name}`);
  }
}
