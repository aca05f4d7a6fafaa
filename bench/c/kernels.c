/* The sequential kernels of bench/programs in C, built with `cc -O2`. Usage: kernels NAME REPS.
   Prints the answer, then one line per repetition with the kernel's time in nanoseconds, measured
   inside the process so process start-up is not counted. */
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

/* Keeps the argument opaque so the compiler cannot fold a kernel into a constant. */
static volatile int64_t size_fib = 30, size_two_sum = 3000, size_sieve = 2000000, size_matmul = 120;

static int64_t run(const char *name) {
  if (!strcmp(name, "fib")) return fib(size_fib);
  if (!strcmp(name, "two_sum")) return two_sum(size_two_sum);
  if (!strcmp(name, "sieve")) return sieve(size_sieve);
  if (!strcmp(name, "matmul")) return matmul(size_matmul);
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
