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

export function strings(n: number): number {
  let s = "";
  let x = 1;
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    s += String(x % 100000);
    s += ",";
  }
  let sevens = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 55) sevens++;
  return s.length * 1000000 + sevens;
}

export function mapCount(n: number, keys: number): number {
  const counts = new Map<number, number>();
  let x = 1;
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    const k = x % keys;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let check = 0;
  for (let k = 0; k < keys; k++) check += (counts.get(k) ?? 0) * ((k % 7) + 1);
  return counts.size * 10000000 + check;
}

export function nbody(n: number, steps: number): number {
  const dt = 0.01;
  const px = new Float64Array(n), py = new Float64Array(n), pz = new Float64Array(n);
  const vx = new Float64Array(n), vy = new Float64Array(n), vz = new Float64Array(n);
  const m = new Float64Array(n);
  let x = 7;
  const next = (): number => (x = (x * 48271) % 2147483647);
  for (let i = 0; i < n; i++) {
    px[i] = ((next() % 2000) - 1000) / 100;
    py[i] = ((next() % 2000) - 1000) / 100;
    pz[i] = ((next() % 2000) - 1000) / 100;
    m[i] = ((next() % 100) + 1) / 10;
  }
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) {
      let ax = 0, ay = 0, az = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
        const d2 = dx * dx + dy * dy + dz * dz + 0.01;
        const f = m[j] / (d2 * Math.sqrt(d2));
        ax += dx * f;
        ay += dy * f;
        az += dz * f;
      }
      vx[i] += ax * dt;
      vy[i] += ay * dt;
      vz[i] += az * dt;
    }
    for (let i = 0; i < n; i++) {
      px[i] += vx[i] * dt;
      py[i] += vy[i] * dt;
      pz[i] += vz[i] * dt;
    }
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum = sum + px[i] * m[i] + py[i] - pz[i];
  return Math.trunc(sum * 1000000);
}

interface TreeNode {
  left: TreeNode | null;
  right: TreeNode | null;
}

function makeTree(depth: number): TreeNode {
  return depth === 0 ? { left: null, right: null } : { left: makeTree(depth - 1), right: makeTree(depth - 1) };
}

function countTree(t: TreeNode): number {
  return 1 + (t.left ? countTree(t.left) : 0) + (t.right ? countTree(t.right) : 0);
}

export function tree(rounds: number, depth: number): number {
  let total = 0;
  for (let r = 0; r < rounds; r++) total += countTree(makeTree(depth)) + r;
  return total;
}

/** Kernel name → JS function with the same problem size as bench/programs/<name>.kara. */
export const JS_KERNELS: Record<string, () => number> = {
  fib: () => fib(30),
  two_sum: () => twoSum(3000),
  sieve: () => sieve(2000000),
  matmul: () => matmul(120),
  strings: () => strings(100000),
  map_count: () => mapCount(400000, 40000),
  nbody: () => nbody(100, 300),
  tree: () => tree(20, 14),
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
    case "strings":
    case "map_count":
    case "nbody":
    case "tree":
      return line(JS_KERNELS[name]());
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
