#include "byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
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

}  // namespace ndr
