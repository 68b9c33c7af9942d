#include "byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

#include "ndr/error.h"

namespace ndr {
namespace {

// Reads through zlib, which also passes plain bytes through unchanged (used
// for standard input, which cannot be peeked at and rewound).
class gzip_source : public io::ByteSourceBase {
 public:
  gzip_source(gzFile file, std::string name) : file_(file), name_(std::move(name)) {}
  ~gzip_source() override { gzclose(file_); }
  gzip_source(const gzip_source&) = delete;
  gzip_source& operator=(const gzip_source&) = delete;

  int read(char* buffer, int size) override {
    const int n = gzread(file_, buffer, unsigned(size));
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    if (n < 0 || (code != Z_OK && code != Z_STREAM_END)) {
      // A truncated download ends with Z_BUF_ERROR: never treated as a clean end.
      std::string why = code == Z_ERRNO ? std::strerror(errno) : message;
      if (why.rfind("<fd:", 0) == 0 && why.find(": ") != std::string::npos) {
        why.erase(0, why.find(": ") + 2);  // zlib names the descriptor; we name the file
      }
      throw InputError("cannot decompress (" + why + "); is the file complete?", name_);
    }
    return n;
  }

 private:
  gzFile file_;
  std::string name_;
};

// A plain file read with read(2) in LineReader's large blocks.
class file_source : public io::ByteSourceBase {
 public:
  file_source(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~file_source() override { close(fd_); }
  file_source(const file_source&) = delete;
  file_source& operator=(const file_source&) = delete;

  int read(char* buffer, int size) override {
    int total = 0;
    while (total < size) {
      const ssize_t n = ::read(fd_, buffer + total, size_t(size - total));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw InputError(fmt::format("cannot read: {}", std::strerror(errno)), name_);
      if (n == 0) break;
      total += int(n);
    }
    return total;
  }

 private:
  int fd_;
  std::string name_;
};

// Bytes [next, end) of a file, read with pread.
class range_source : public io::ByteSourceBase {
 public:
  range_source(int fd, std::string name, std::uint64_t begin, std::uint64_t end)
      : fd_(fd), name_(std::move(name)), next_(begin), end_(end) {}
  ~range_source() override { close(fd_); }
  range_source(const range_source&) = delete;
  range_source& operator=(const range_source&) = delete;

  int read(char* buffer, int size) override {
    int total = 0;
    while (total < size && next_ < end_) {
      const size_t want = size_t(std::min<std::uint64_t>(std::uint64_t(size - total), end_ - next_));
      const ssize_t n = pread(fd_, buffer + total, want, off_t(next_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw InputError(fmt::format("cannot read: {}", std::strerror(errno)), name_);
      if (n == 0) break;
      total += int(n);
      next_ += std::uint64_t(n);
    }
    return total;
  }

 private:
  int fd_;
  std::string name_;
  std::uint64_t next_, end_;
};

std::unique_ptr<io::ByteSourceBase> open_gzip(int fd, const std::string& name) {
  gzFile gz = gzdopen(fd, "rb");
  if (!gz) {
    close(fd);
    throw InputError("cannot open: out of memory", name);
  }
  gzbuffer(gz, 1 << 20);
  return std::make_unique<gzip_source>(gz, name);
}

}  // namespace

std::unique_ptr<io::ByteSourceBase> open_byte_source(const std::string& path,
                                                     const std::string& name, std::uint64_t* size) {
  if (size) *size = 0;
  if (path == "-") {
    const int fd = dup(STDIN_FILENO);
    if (fd < 0) throw InputError(fmt::format("cannot open: {}", std::strerror(errno)), name);
    return open_gzip(fd, name);
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(fmt::format("cannot open: {}", std::strerror(errno)), name);
  unsigned char magic[2] = {0, 0};
  const bool gzipped = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (gzipped) return open_gzip(fd, name);
  struct stat st;
  if (size && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) *size = std::uint64_t(st.st_size);
  return std::make_unique<file_source>(fd, name);
}

std::unique_ptr<io::ByteSourceBase> open_byte_range(const std::string& path,
                                                    const std::string& name, std::uint64_t begin,
                                                    std::uint64_t end) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(fmt::format("cannot open: {}", std::strerror(errno)), name);
  return std::make_unique<range_source>(fd, name, begin, end);
}

size_t read_range(const std::string& path, std::uint64_t offset, char* buffer, size_t n) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  const ssize_t got = pread(fd, buffer, n, off_t(offset));
  close(fd);
  return got < 0 ? 0 : size_t(got);
}

}  // namespace ndr
