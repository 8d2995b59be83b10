/*
 * A slow disk for the benchmarks: every fsync and fdatasync of the process waits
 * SLOW_FSYNC_US microseconds (default 10000) before it is done, and with SLOW_FSYNC_TRACE=1
 * each is written to stderr with the thread and the file. Only the process it is loaded
 * into is slowed: PostgreSQL's own fsyncs are not.
 *
 *   gcc -shared -fPIC -O2 -o /tmp/slow_fsync.so benches/slow_fsync.c -ldl
 *   LD_PRELOAD=/tmp/slow_fsync.so SLOW_FSYNC_US=10000 BENCH_DATABASE_URL="sqlite://…" \
 *     target/release/deps/cases-<hash> --bench
 *
 * Why: SQLite's write p99 depends on the disk's fsync (see README, Benchmarks); this
 * machine's disk syncs in 0.2 ms, others in 10.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static void slow(const char *what, int fd) {
  const char *us = getenv("SLOW_FSYNC_US");
  const char *trace = getenv("SLOW_FSYNC_TRACE");
  if (trace && *trace == '1') {
    char link[64], path[512] = {0}, name[32] = {0};
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = 0;
    prctl(PR_GET_NAME, name);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    fprintf(stderr, "FSYNC %ld.%03ld %s %s %s\n", (long)ts.tv_sec, ts.tv_nsec / 1000000, what, name, path);
  }
  usleep(us ? (useconds_t)atoi(us) : 10000);
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  slow("fsync", fd);
  return real(fd);
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  slow("fdatasync", fd);
  return real(fd);
}
