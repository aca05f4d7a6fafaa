/* The sequential kernels of bench/programs in C, built with `cc -O2`. Usage: kernels NAME REPS.
   Prints the answer, then one line per repetition with the kernel's time in nanoseconds, measured
   inside the process so process start-up is not counted. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t fib(int64_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int64_t two_sum(int64_t n) {
  int64_t *v = malloc(sizeof(int64_t) * n);
  int64_t x = 12345;
  for (int64_t i = 0; i < n; i++) { x = (x * 48271) % 2147483647; v[i] = x % 10000; }
  int64_t count = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t a = v[i];
    for (int64_t j = i + 1; j < n; j++) if (a + v[j] == 9999) count++;
  }
  free(v);
  return count;
}

static int64_t sieve(int64_t n) {
  unsigned char *composite = calloc(n, 1);
  int64_t count = 0;
  for (int64_t i = 2; i < n; i++) {
    if (!composite[i]) {
      count++;
      for (int64_t j = i * i; j < n; j += i) composite[j] = 1;
    }
  }
  free(composite);
  return count;
}

static int64_t matmul(int64_t n) {
  int64_t *a = calloc(n * n, 8), *b = calloc(n * n, 8), *c = calloc(n * n, 8);
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) { a[i * n + j] = (i * 7 + j * 3) % 100; b[i * n + j] = (i * 5 + j * 11) % 100; }
  for (int64_t i = 0; i < n; i++)
    for (int64_t k = 0; k < n; k++) {
      int64_t aik = a[i * n + k];
      for (int64_t j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  int64_t sum = 0;
  for (int64_t i = 0; i < n * n; i++) sum = (sum + c[i]) % 1000000007;
  free(a); free(b); free(c);
  return sum;
}

/* Appends the decimal digits of a non-negative v to the growable buffer. */
static void push_int(char **buf, int64_t *len, int64_t *cap, int64_t v) {
  char tmp[24];
  int k = 0;
  do { tmp[k++] = (char)('0' + v % 10); v /= 10; } while (v > 0);
  if (*len + k + 1 > *cap) { *cap = (*cap * 2 > *len + k + 1) ? *cap * 2 : *len + k + 1; *buf = realloc(*buf, *cap); }
  while (k > 0) (*buf)[(*len)++] = tmp[--k];
}

static int64_t strings(int64_t n) {
  int64_t len = 0, cap = 16, x = 1;
  char *s = malloc(cap);
  for (int64_t i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    push_int(&s, &len, &cap, x % 100000);
    if (len + 1 > cap) { cap *= 2; s = realloc(s, cap); }
    s[len++] = ',';
  }
  int64_t sevens = 0;
  for (int64_t i = 0; i < len; i++) if (s[i] == '7') sevens++;
  free(s);
  return len * 1000000 + sevens;
}

/* Open addressing with linear probing over i64 keys, doubling at half full. */
typedef struct { int64_t *keys, *vals; unsigned char *used; int64_t cap, size; } map_t;

static int64_t *map_slot(map_t *m, int64_t key) {
  uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
  int64_t i = (int64_t)(h >> 32) & (m->cap - 1);
  while (m->used[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
  if (!m->used[i]) { m->used[i] = 1; m->keys[i] = key; m->vals[i] = 0; m->size++; }
  return &m->vals[i];
}

static void map_init(map_t *m, int64_t cap) {
  m->cap = cap; m->size = 0;
  m->keys = malloc(cap * 8); m->vals = malloc(cap * 8); m->used = calloc(cap, 1);
}

static void map_grow(map_t *m) {
  map_t bigger;
  map_init(&bigger, m->cap * 2);
  for (int64_t i = 0; i < m->cap; i++) if (m->used[i]) *map_slot(&bigger, m->keys[i]) = m->vals[i];
  free(m->keys); free(m->vals); free(m->used);
  *m = bigger;
}

static int64_t map_get(const map_t *m, int64_t key) {
  uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
  int64_t i = (int64_t)(h >> 32) & (m->cap - 1);
  while (m->used[i]) { if (m->keys[i] == key) return m->vals[i]; i = (i + 1) & (m->cap - 1); }
  return 0;
}

static int64_t map_count(int64_t n, int64_t keys) {
  map_t m;
  map_init(&m, 16);
  int64_t x = 1;
  for (int64_t i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    if (2 * (m.size + 1) > m.cap) map_grow(&m);
    *map_slot(&m, x % keys) += 1;
  }
  int64_t check = 0;
  for (int64_t k = 0; k < keys; k++) check += map_get(&m, k) * (k % 7 + 1);
  int64_t answer = m.size * 10000000 + check;
  free(m.keys); free(m.vals); free(m.used);
  return answer;
}

static int64_t nbody(int64_t n, int64_t steps) {
  const double dt = 0.01;
  double *px = calloc(n, 8), *py = calloc(n, 8), *pz = calloc(n, 8);
  double *vx = calloc(n, 8), *vy = calloc(n, 8), *vz = calloc(n, 8), *m = calloc(n, 8);
  int64_t x = 7;
  for (int64_t i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647; px[i] = (double)(x % 2000 - 1000) / 100.0;
    x = (x * 48271) % 2147483647; py[i] = (double)(x % 2000 - 1000) / 100.0;
    x = (x * 48271) % 2147483647; pz[i] = (double)(x % 2000 - 1000) / 100.0;
    x = (x * 48271) % 2147483647; m[i] = (double)(x % 100 + 1) / 10.0;
  }
  for (int64_t s = 0; s < steps; s++) {
    for (int64_t i = 0; i < n; i++) {
      double ax = 0, ay = 0, az = 0;
      for (int64_t j = 0; j < n; j++) {
        if (j == i) continue;
        double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
        double d2 = dx * dx + dy * dy + dz * dz + 0.01;
        double f = m[j] / (d2 * sqrt(d2));
        ax = ax + dx * f; ay = ay + dy * f; az = az + dz * f;
      }
      vx[i] = vx[i] + ax * dt; vy[i] = vy[i] + ay * dt; vz[i] = vz[i] + az * dt;
    }
    for (int64_t i = 0; i < n; i++) { px[i] = px[i] + vx[i] * dt; py[i] = py[i] + vy[i] * dt; pz[i] = pz[i] + vz[i] * dt; }
  }
  double sum = 0;
  for (int64_t i = 0; i < n; i++) sum = sum + px[i] * m[i] + py[i] - pz[i];
  free(px); free(py); free(pz); free(vx); free(vy); free(vz); free(m);
  return (int64_t)(sum * 1000000.0);
}

typedef struct node { struct node *left, *right; } node;

static node *make_tree(int64_t depth) {
  node *t = malloc(sizeof(node));
  t->left = depth == 0 ? NULL : make_tree(depth - 1);
  t->right = depth == 0 ? NULL : make_tree(depth - 1);
  return t;
}

static int64_t count_tree(const node *t) {
  return 1 + (t->left ? count_tree(t->left) : 0) + (t->right ? count_tree(t->right) : 0);
}

static void free_tree(node *t) {
  if (t->left) free_tree(t->left);
  if (t->right) free_tree(t->right);
  free(t);
}

static int64_t tree(int64_t rounds, int64_t depth) {
  int64_t total = 0;
  for (int64_t r = 0; r < rounds; r++) {
    node *t = make_tree(depth);
    total += count_tree(t) + r;
    free_tree(t);
  }
  return total;
}

/* Keeps the argument opaque so the compiler cannot fold a kernel into a constant. */
static volatile int64_t size_fib = 30, size_two_sum = 3000, size_sieve = 2000000, size_matmul = 120,
  size_strings = 100000, size_map_count = 400000, size_nbody = 100, size_tree = 14;

static int64_t run(const char *name) {
  if (!strcmp(name, "fib")) return fib(size_fib);
  if (!strcmp(name, "two_sum")) return two_sum(size_two_sum);
  if (!strcmp(name, "sieve")) return sieve(size_sieve);
  if (!strcmp(name, "matmul")) return matmul(size_matmul);
  if (!strcmp(name, "strings")) return strings(size_strings);
  if (!strcmp(name, "map_count")) return map_count(size_map_count, 40000);
  if (!strcmp(name, "nbody")) return nbody(size_nbody, 300);
  if (!strcmp(name, "tree")) return tree(20, size_tree);
  fprintf(stderr, "unknown kernel %s\n", name);
  exit(2);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: kernels NAME REPS\n"); return 2; }
  int reps = atoi(argv[2]);
  for (int r = 0; r < reps; r++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t answer = run(argv[1]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (r == 0) printf("%lld\n", (long long)answer);
    printf("%lld\n", (long long)((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec)));
  }
  return 0;
}
