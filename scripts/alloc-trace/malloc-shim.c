// LD_PRELOAD shim that logs every malloc / calloc / realloc / free (and the aligned variants) of
// a program to a binary file, for scripts/alloc-trace/convert.py to turn into a trace
// (tests/data/alloc-*.json.gz). Build and use (see README.md in this folder):
//
//   gcc -O2 -shared -fPIC -o /tmp/malloc-shim.so malloc-shim.c -ldl
//   ALLOC_TRACE=/tmp/out LD_PRELOAD=/tmp/malloc-shim.so program args...
//
// Each process writes ALLOC_TRACE.<pid> (children inherit LD_PRELOAD: cc1 under gcc gets its
// own file). Record: 1-byte op ('a' alloc, 'f' free, 'r' realloc), u64 old pointer (r, f),
// u64 new pointer (a, r), u64 size: 25 bytes, little-endian, buffered and written with write(2).
// Calls made while the shim itself runs (dlsym, the first buffer flush) are not logged.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

#define BUFFER_BYTES (1 << 20)
static unsigned char buffer[BUFFER_BYTES];
static size_t used;
static int fd = -1, failed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int inside;

static void flush(void) {
  size_t at = 0;
  while (at < used) { ssize_t n = write(fd, buffer + at, used - at); if (n <= 0) { failed = 1; break; } at += (size_t)n; }
  used = 0;
}

static void record(char op, void *old, void *new_, size_t size) {
  if (inside || failed) return;
  inside = 1;
  pthread_mutex_lock(&lock);
  if (fd < 0) {
    const char *base = getenv("ALLOC_TRACE");
    char path[4096];
    if (base == NULL) { failed = 1; goto out; }
    snprintf(path, sizeof path, "%s.%d", base, (int)getpid());
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) { failed = 1; goto out; }
  }
  if (used + 25 > BUFFER_BYTES) flush();
  uint64_t words[3] = { (uint64_t)(uintptr_t)old, (uint64_t)(uintptr_t)new_, (uint64_t)size };
  buffer[used] = (unsigned char)op;
  memcpy(buffer + used + 1, words, 24);
  used += 25;
out:
  pthread_mutex_unlock(&lock);
  inside = 0;
}

__attribute__((destructor)) static void finish(void) {
  pthread_mutex_lock(&lock);
  if (fd >= 0 && !failed) flush();
  pthread_mutex_unlock(&lock);
}

void *malloc(size_t size) { void *p = __libc_malloc(size); if (p) record('a', 0, p, size); return p; }
void *calloc(size_t n, size_t size) { void *p = __libc_calloc(n, size); if (p) record('a', 0, p, n * size); return p; }
void *realloc(void *old, size_t size) {
  void *p = __libc_realloc(old, size);
  if (old == NULL) { if (p) record('a', 0, p, size); }
  else if (size == 0 && p == NULL) record('f', old, 0, 0);
  else if (p) record('r', old, p, size);
  return p;
}
void free(void *p) { if (p) record('f', p, 0, 0); __libc_free(p); }
void *memalign(size_t align, size_t size) { void *p = __libc_memalign(align, size); if (p) record('a', 0, p, size); return p; }
void *aligned_alloc(size_t align, size_t size) { return memalign(align, size); }
int posix_memalign(void **out, size_t align, size_t size) {
  void *p = __libc_memalign(align, size);
  if (p == NULL) return 12; // ENOMEM
  record('a', 0, p, size);
  *out = p;
  return 0;
}
