/*
 * io-log: an LD_PRELOAD shim that records, in call order, every change a
 * process makes to the files under one directory, so a checker can rebuild
 * the states a power cut could leave (test/reliability/power-loss/).
 *
 * Environment: IOLOG_DIR (absolute directory to watch), IOLOG_FILE (the log
 * to append to), IOLOG_MARK (a file whose writes are copied into the log as
 * markers: the workload's "began op"/"acknowledged op" lines, so they are
 * ordered exactly among the I/O).
 *
 * Records, one header line each (payload bytes follow W and M):
 *   W <path> <offset> <length>   data written (write, pwrite, writev, pwritev)
 *   T <path> <length>            size set (ftruncate, O_TRUNC)
 *   S <path>                     fsync/fdatasync of a file
 *   D <path>                     fsync of a directory
 *   C <path>                     file created (open with O_CREAT of a missing file)
 *   R <from> <to>                rename
 *   U <path>                     unlink
 *   M <length>                   marker bytes
 * Only calls that succeeded are recorded. mmap writes (SQLite's -shm) are not seen.
 * Compiled by the test with the machine's cc; never committed as a binary.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FDS 65536
#define MARK ((char *)1)

static char root[PATH_MAX];
static size_t root_len;
static char mark[PATH_MAX];
static int log_fd = -1;
static char *fd_path[MAX_FDS];
static int fd_append[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off64_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);

#define RESOLVE(name) real_##name = dlsym(RTLD_NEXT, #name)

__attribute__((constructor)) static void init(void) {
  RESOLVE(open); RESOLVE(open64); RESOLVE(openat); RESOLVE(openat64); RESOLVE(close);
  RESOLVE(write); RESOLVE(pwrite); RESOLVE(pwrite64); RESOLVE(writev); RESOLVE(pwritev); RESOLVE(pwritev64);
  RESOLVE(ftruncate); RESOLVE(ftruncate64); RESOLVE(fsync); RESOLVE(fdatasync);
  RESOLVE(rename); RESOLVE(renameat); RESOLVE(unlink); RESOLVE(unlinkat);
  const char *dir = getenv("IOLOG_DIR"), *file = getenv("IOLOG_FILE"), *marks = getenv("IOLOG_MARK");
  if (!dir || !file) return;
  snprintf(root, sizeof root, "%s", dir);
  root_len = strlen(root);
  while (root_len > 1 && root[root_len - 1] == '/') root[--root_len] = 0;
  if (marks) snprintf(mark, sizeof mark, "%s", marks);
  log_fd = real_open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* Absolute form of `path` relative to `dirfd`, in `out`; 0 when it cannot be formed. */
static int absolute(int dirfd, const char *path, char *out) {
  if (!path) return 0;
  if (path[0] == '/') return snprintf(out, PATH_MAX, "%s", path) < PATH_MAX;
  char base[PATH_MAX];
  if (dirfd == AT_FDCWD) {
    if (!getcwd(base, sizeof base)) return 0;
  } else if (dirfd >= 0 && dirfd < MAX_FDS && fd_path[dirfd] && fd_path[dirfd] != MARK) {
    snprintf(base, sizeof base, "%s", fd_path[dirfd]);
  } else {
    return 0;
  }
  return snprintf(out, PATH_MAX, "%s/%s", base, path) < PATH_MAX;
}

static int watched(const char *path) {
  return log_fd >= 0 && strncmp(path, root, root_len) == 0 && (path[root_len] == '/' || path[root_len] == 0);
}

static void emit(const char *bytes, size_t length) {
  while (length > 0) {
    ssize_t n = real_write(log_fd, bytes, length);
    if (n <= 0) return;
    bytes += n;
    length -= (size_t)n;
  }
}

static void header(const char *format, ...) {
  char line[2 * PATH_MAX + 64];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n > 0) emit(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static const char *tracked(int fd) {
  return fd >= 0 && fd < MAX_FDS ? fd_path[fd] : NULL;
}

static void opened(int fd, const char *path, int flags, int existed) {
  if (fd < 0 || fd >= MAX_FDS) return;
  pthread_mutex_lock(&lock);
  free(fd_path[fd] == MARK ? NULL : fd_path[fd]);
  fd_path[fd] = NULL;
  if (mark[0] && strcmp(path, mark) == 0) {
    fd_path[fd] = MARK;
  } else if (watched(path)) {
    fd_path[fd] = strdup(path);
    fd_append[fd] = (flags & O_APPEND) != 0;
    if ((flags & O_CREAT) && !existed) header("C %s\n", path);
    if ((flags & O_TRUNC) && existed) header("T %s 0\n", path);
  }
  pthread_mutex_unlock(&lock);
}

static int open_common(int dirfd, const char *path, int flags, mode_t mode) {
  char full[PATH_MAX];
  int known = absolute(dirfd, path, full);
  int existed = known && (flags & O_CREAT) ? access(full, F_OK) == 0 : 1;
  int fd;
  if (dirfd == AT_FDCWD && real_open) fd = real_open(path, flags, mode);
  else fd = real_openat(dirfd, path, flags, mode);
  if (known) opened(fd, full, flags, existed);
  return fd;
}

static mode_t mode_of(int flags, va_list args) {
  return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(args, int) : 0;
}

int open(const char *path, int flags, ...) {
  va_list args; va_start(args, flags); mode_t mode = mode_of(flags, args); va_end(args);
  return open_common(AT_FDCWD, path, flags, mode);
}
int open64(const char *path, int flags, ...) {
  va_list args; va_start(args, flags); mode_t mode = mode_of(flags, args); va_end(args);
  return open_common(AT_FDCWD, path, flags, mode);
}
int openat(int dirfd, const char *path, int flags, ...) {
  va_list args; va_start(args, flags); mode_t mode = mode_of(flags, args); va_end(args);
  return open_common(dirfd, path, flags, mode);
}
int openat64(int dirfd, const char *path, int flags, ...) {
  va_list args; va_start(args, flags); mode_t mode = mode_of(flags, args); va_end(args);
  return open_common(dirfd, path, flags, mode);
}

int close(int fd) {
  if (fd >= 0 && fd < MAX_FDS && fd_path[fd]) {
    pthread_mutex_lock(&lock);
    if (fd_path[fd] != MARK) free(fd_path[fd]);
    fd_path[fd] = NULL;
    pthread_mutex_unlock(&lock);
  }
  return real_close(fd);
}

/* Records `n` bytes written at `offset` (or the marker bytes) from the buffers. */
static void wrote(int fd, const char *path, long long offset, const struct iovec *iov, int count, ssize_t n) {
  if (n <= 0) return;
  pthread_mutex_lock(&lock);
  if (path == MARK) header("M %zd\n", n);
  else header("W %s %lld %zd\n", path, offset, n);
  size_t left = (size_t)n;
  for (int i = 0; i < count && left > 0; i++) {
    size_t take = iov[i].iov_len < left ? iov[i].iov_len : left;
    emit(iov[i].iov_base, take);
    left -= take;
  }
  pthread_mutex_unlock(&lock);
  (void)fd;
}

/* The offset a write() without one lands at: the end for O_APPEND, else the current position. */
static long long position(int fd) {
  if (fd_append[fd]) {
    struct stat st;
    return fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
  }
  return (long long)lseek(fd, 0, SEEK_CUR);
}

ssize_t write(int fd, const void *buf, size_t count) {
  const char *path = tracked(fd);
  if (!path) return real_write(fd, buf, count);
  long long at = path == MARK ? 0 : position(fd);
  ssize_t n = real_write(fd, buf, count);
  struct iovec one = { (void *)buf, count };
  wrote(fd, path, at, &one, 1, n);
  return n;
}
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  ssize_t n = real_pwrite(fd, buf, count, offset);
  const char *path = tracked(fd);
  struct iovec one = { (void *)buf, count };
  if (path) wrote(fd, path, offset, &one, 1, n);
  return n;
}
ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  ssize_t n = real_pwrite64(fd, buf, count, offset);
  const char *path = tracked(fd);
  struct iovec one = { (void *)buf, count };
  if (path) wrote(fd, path, offset, &one, 1, n);
  return n;
}
ssize_t writev(int fd, const struct iovec *iov, int count) {
  const char *path = tracked(fd);
  if (!path) return real_writev(fd, iov, count);
  long long at = path == MARK ? 0 : position(fd);
  ssize_t n = real_writev(fd, iov, count);
  wrote(fd, path, at, iov, count, n);
  return n;
}
ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t offset) {
  ssize_t n = real_pwritev(fd, iov, count, offset);
  const char *path = tracked(fd);
  if (path) wrote(fd, path, offset, iov, count, n);
  return n;
}
ssize_t pwritev64(int fd, const struct iovec *iov, int count, off64_t offset) {
  ssize_t n = real_pwritev64(fd, iov, count, offset);
  const char *path = tracked(fd);
  if (path) wrote(fd, path, offset, iov, count, n);
  return n;
}

static void truncated(int fd, long long length, int result) {
  const char *path = tracked(fd);
  if (result != 0 || !path || path == MARK) return;
  pthread_mutex_lock(&lock);
  header("T %s %lld\n", path, length);
  pthread_mutex_unlock(&lock);
}
int ftruncate(int fd, off_t length) {
  int r = real_ftruncate(fd, length);
  truncated(fd, length, r);
  return r;
}
int ftruncate64(int fd, off64_t length) {
  int r = real_ftruncate64(fd, length);
  truncated(fd, length, r);
  return r;
}

static void synced(int fd, int result) {
  const char *path = tracked(fd);
  if (result != 0 || !path || path == MARK) return;
  struct stat st;
  int directory = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
  pthread_mutex_lock(&lock);
  header("%c %s\n", directory ? 'D' : 'S', path);
  pthread_mutex_unlock(&lock);
}
int fsync(int fd) {
  int r = real_fsync(fd);
  synced(fd, r);
  return r;
}
int fdatasync(int fd) {
  int r = real_fdatasync(fd);
  synced(fd, r);
  return r;
}

static void renamed(const char *from, const char *to, int result) {
  if (result != 0 || !(watched(from) || watched(to))) return;
  pthread_mutex_lock(&lock);
  header("R %s %s\n", from, to);
  pthread_mutex_unlock(&lock);
}
int rename(const char *from, const char *to) {
  char a[PATH_MAX], b[PATH_MAX];
  int known = absolute(AT_FDCWD, from, a) && absolute(AT_FDCWD, to, b);
  int r = real_rename(from, to);
  if (known) renamed(a, b, r);
  return r;
}
int renameat(int fromfd, const char *from, int tofd, const char *to) {
  char a[PATH_MAX], b[PATH_MAX];
  int known = absolute(fromfd, from, a) && absolute(tofd, to, b);
  int r = real_renameat(fromfd, from, tofd, to);
  if (known) renamed(a, b, r);
  return r;
}

static void unlinked(const char *path, int result) {
  if (result != 0 || !watched(path)) return;
  pthread_mutex_lock(&lock);
  header("U %s\n", path);
  pthread_mutex_unlock(&lock);
}
int unlink(const char *path) {
  char full[PATH_MAX];
  int known = absolute(AT_FDCWD, path, full);
  int r = real_unlink(path);
  if (known) unlinked(full, r);
  return r;
}
int unlinkat(int dirfd, const char *path, int flags) {
  char full[PATH_MAX];
  int known = absolute(dirfd, path, full) && !(flags & AT_REMOVEDIR);
  int r = real_unlinkat(dirfd, path, flags);
  if (known) unlinked(full, r);
  return r;
}
