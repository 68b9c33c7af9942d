#include "byte_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

#include "ndr/error.h"
#include "ndr/load.h"

namespace ndr {

std::string unknown_encoding(const std::string& encoding);
std::string invalid_utf8(unsigned char byte);

namespace {

// Reads through zlib, which also passes plain bytes through unchanged (used
// for standard input, which cannot be peeked at and rewound).
class gzip_source : public io::ByteSourceBase {
 public:
  gzip_source(gzFile file, std::string name)
      : file_(file), name_(std::move(name)) {}
  ~gzip_source() override { gzclose(file_); }
  gzip_source(const gzip_source&) = delete;
  gzip_source& operator=(const gzip_source&) = delete;

  int read(char* buffer, int size) override {
    const int n = gzread(file_, buffer, unsigned(size));
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    if (n < 0 || (code != Z_OK && code != Z_STREAM_END)) {
      // A truncated download ends with Z_BUF_ERROR: never treated as a clean
      // end.
      std::string why = code == Z_ERRNO ? std::strerror(errno) : message;
      if (why.rfind("<fd:", 0) == 0 && why.find(": ") != std::string::npos) {
        why.erase(0, why.find(": ") +
                         2);  // zlib names the descriptor; we name the file
      }
      throw InputError("cannot decompress (" + why + "); is the file complete?",
                       name_);
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
      if (n < 0)
        throw InputError(fmt::format("cannot read: {}", std::strerror(errno)),
                         name_);
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
      const size_t want = size_t(
          std::min<std::uint64_t>(std::uint64_t(size - total), end_ - next_));
      const ssize_t n = pread(fd_, buffer + total, want, off_t(next_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        throw InputError(fmt::format("cannot read: {}", std::strerror(errno)),
                         name_);
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

// A text in memory.
class memory_source : public io::ByteSourceBase {
 public:
  explicit memory_source(std::string_view text) : rest_(text) {}
  int read(char* buffer, int size) override {
    const size_t n = std::min(rest_.size(), size_t(size));
    std::memcpy(buffer, rest_.data(), n);
    rest_.remove_prefix(n);
    return int(n);
  }

 private:
  std::string_view rest_;
};

// An iconv conversion descriptor, closed on destruction.
class converter {
 public:
  converter(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {}
  ~converter() {
    if (valid()) iconv_close(cd_);
  }
  converter(const converter&) = delete;
  converter& operator=(const converter&) = delete;
  bool valid() const { return cd_ != iconv_t(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

bool is_utf16_bom(const unsigned char* b, size_t n) {
  return n >= 2 &&
         ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
}

bool names_utf8(const std::string& encoding) {
  std::string e;
  for (char c : encoding) {
    if (c != '-' && c != '_')
      e += char(std::tolower(static_cast<unsigned char>(c)));
  }
  return e.empty() || e == "utf8";
}

// The bytes of an inner source, decoded to UTF-8 when an encoding is given,
// then checked: a NUL, a byte that is not UTF-8, or a decoding error throws
// InputError at FILE:LINE:COLUMN. Like every ByteSourceBase for LineReader,
// read() fills the whole buffer unless the input has ended.
class text_source : public io::ByteSourceBase {
 public:
  text_source(std::unique_ptr<io::ByteSourceBase> inner, std::string name,
              std::string head, std::string encoding)
      : inner_(std::move(inner)),
        name_(std::move(name)),
        head_(std::move(head)),
        encoding_(std::move(encoding)) {
    if (!encoding_.empty()) {
      converter_ = std::make_unique<converter>(encoding_);
      if (!converter_->valid()) throw UsageError(unknown_encoding(encoding_));
      in_.resize(1 << 16);
      out_.resize(1 << 16);
    }
  }

  int read(char* buffer, int size) override {
    const int n = converter_ ? decode(buffer, size) : raw(buffer, size);
    check(buffer, size_t(n));
    // The bad byte comes after every decoded byte, those still in out_ too.
    if (!decode_error_.empty() && out_pos_ == out_end_)
      fail(buffer, size_t(n), decode_error_);
    if (n < size && need_ > 0) {
      fail(buffer, lead_at_ < size_t(n) ? lead_at_ : size_t(n),
           "invalid UTF-8: the file ends inside a character");
    }
    return n;
  }

 private:
  // Bytes as stored: the head read to look for a byte-order mark, then the
  // rest.
  int raw(char* buffer, int size) {
    int n = 0;
    if (!head_.empty()) {
      n = int(std::min(head_.size(), size_t(size)));
      std::memcpy(buffer, head_.data(), size_t(n));
      head_.erase(0, size_t(n));
    }
    return n == size ? n : n + inner_->read(buffer + n, size - n);
  }

  // Converted bytes into buffer until it is full or the input ends. iconv
  // writes into out_ first: a character never fits half into buffer.
  int decode(char* buffer, int size) {
    int n = 0;
    while (n < size) {
      if (out_pos_ == out_end_ && !convert()) break;
      const size_t k = std::min(out_end_ - out_pos_, size_t(size - n));
      std::memcpy(buffer + n, out_.data() + out_pos_, k);
      out_pos_ += k;
      n += int(k);
    }
    return n;
  }

  // Refills out_ from in_ (refilled from the input); false when nothing more
  // comes (the end, or a decoding error in decode_error_).
  bool convert() {
    out_pos_ = out_end_ = 0;
    char* out = out_.data();
    size_t left = out_.size();
    while (out == out_.data() && decode_error_.empty()) {
      if (starved_ || in_pos_ == in_end_) {
        std::memmove(in_.data(), in_.data() + in_pos_, in_end_ - in_pos_);
        in_end_ -= in_pos_;
        in_pos_ = 0;
        const int got = raw(in_.data() + in_end_, int(in_.size() - in_end_));
        if (got == 0) {
          if (in_end_ > 0)
            decode_error_ =
                fmt::format("the file ends inside a {} character", encoding_);
          break;
        }
        in_end_ += size_t(got);
        starved_ = false;
      }
      char* in = in_.data() + in_pos_;
      size_t in_left = in_end_ - in_pos_;
      const size_t r = iconv(converter_->get(), &in, &in_left, &out, &left);
      in_pos_ = size_t(in - in_.data());
      if (r != size_t(-1) || errno == E2BIG) continue;
      if (errno == EINVAL) {
        starved_ = true;  // a character cut at the end of in_: read more
      } else {
        decode_error_ =
            fmt::format("byte 0x{:02X} is not {} text",
                        unsigned(static_cast<unsigned char>(*in)), encoding_);
      }
    }
    out_end_ = size_t(out - out_.data());
    return out_end_ > 0;
  }

  void check(const char* p, size_t n);
  size_t skip_ascii(const char* p, size_t i, size_t n);
  void check_byte(const char* p, size_t i);
  void start_char(const char* p, size_t i, unsigned char b);
  // Throws `what` at byte `at` of the block p being checked.
  [[noreturn]] void fail(const char* p, size_t at,
                         const std::string& what) const;

  std::unique_ptr<io::ByteSourceBase> inner_;
  std::string name_;
  std::string head_;
  std::string encoding_;  // empty: the bytes are UTF-8 already
  std::unique_ptr<converter> converter_;
  std::vector<char> in_;  // undecoded bytes [in_pos_, in_end_)
  size_t in_pos_ = 0, in_end_ = 0;
  std::vector<char>
      out_;  // decoded bytes not yet handed out [out_pos_, out_end_)
  size_t out_pos_ = 0, out_end_ = 0;
  bool starved_ = false;
  std::string decode_error_;
  // The checker's state across blocks.
  unsigned line_ = 1;
  std::uint64_t carry_chars_ =
      0;  // characters of the current line in earlier blocks
  std::uint64_t carry_before_ =
      0;                   // … as it was before the block being checked
  size_t line_begin_ = 0;  // in the block being checked: where the line starts
  bool line_in_block_ = false;  // … when it starts in this block at all
  int need_ = 0;                // continuation bytes still expected
  unsigned char lo_ = 0x80,
                hi_ = 0xBF;    // the range of the next continuation byte
  unsigned char lead_ = 0;     // the first byte of the character being checked
  size_t lead_at_ = SIZE_MAX;  // … and where it is in this block
};

size_t count_chars(const char* p, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; ++i)
    c += (static_cast<unsigned char>(p[i]) & 0xC0) != 0x80;
  return c;
}

// The bits set in a 16-bit mask, by table: without -mpopcnt (Debian's
// x86-64 baseline) __builtin_popcount is a libgcc call, 1.4 % of a report.
unsigned bits_set(unsigned mask16) {
  static constexpr auto kBits = [] {
    std::array<std::uint8_t, 256> t{};
    for (unsigned i = 0; i < 256; ++i) t[i] = std::uint8_t((i & 1) + t[i / 2]);
    return t;
  }();
  return unsigned(kBits[mask16 & 0xFF]) + kBits[(mask16 >> 8) & 0xFF];
}

// Checks the block; ASCII without NUL, the common case, 16 bytes at a time.
void text_source::check(const char* p, size_t n) {
  line_in_block_ = false;
  carry_before_ = carry_chars_;
  lead_at_ = SIZE_MAX;
  for (size_t i = 0; i < n; ++i) {
    if (need_ == 0) {
      i = skip_ascii(p, i, n);
      if (i >= n) break;
    }
    check_byte(p, i);
  }
  if (line_in_block_) {
    carry_chars_ = count_chars(p + line_begin_, n - line_begin_);
  } else {
    carry_chars_ += count_chars(p, n);
  }
}

// The first of p[i, n) that is not in a run of 16-byte blocks of ASCII
// without NUL, counting the lines in those blocks.
size_t text_source::skip_ascii(const char* p, size_t i, size_t n) {
#ifdef __SSE2__
  const __m128i newline = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    if (_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)))
      break;
    const unsigned lines =
        unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)));
    if (lines) {
      line_ += bits_set(lines);
      line_begin_ = i + 32 - size_t(__builtin_clz(lines));
      line_in_block_ = true;
    }
  }
#endif
  return i;
}

// Byte p[i]: a newline, a NUL (an error), or part of a UTF-8 character.
void text_source::check_byte(const char* p, size_t i) {
  const auto b = static_cast<unsigned char>(p[i]);
  if (need_ > 0) {
    // Named by its first byte, where the character starts (or, when it
    // started in the block before, where it breaks).
    if (b < lo_ || b > hi_)
      fail(p, lead_at_ < i ? lead_at_ : i, invalid_utf8(lead_));
    --need_;
    lo_ = 0x80, hi_ = 0xBF;
  } else if (b == 0) {
    fail(p, i,
         "a NUL byte: this is not a text file (UTF-16 without a byte-order "
         "mark? pass "
         "--encoding UTF-16LE)");
  } else if (b == '\n') {
    ++line_;
    line_begin_ = i + 1;
    line_in_block_ = true;
  } else if (b >= 0x80) {
    start_char(p, i, b);
  }
}

// Lead byte b at p[i]: how many bytes follow, and their range.
void text_source::start_char(const char* p, size_t i, unsigned char b) {
  lead_ = b;
  lead_at_ = i;
  if (b >= 0xC2 && b <= 0xDF) {
    need_ = 1;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need_ = 2;
    if (b == 0xE0) lo_ = 0xA0;  // no overlong forms
    if (b == 0xED) hi_ = 0x9F;  // no surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    need_ = 3;
    if (b == 0xF0) lo_ = 0x90;
    if (b == 0xF4) hi_ = 0x8F;  // nothing above U+10FFFF
  } else {
    fail(p, i, invalid_utf8(b));
  }
}

void text_source::fail(const char* p, size_t at,
                       const std::string& what) const {
  const std::uint64_t before =
      line_in_block_ ? count_chars(p + line_begin_, at - line_begin_)
                     : carry_before_ + count_chars(p, at);
  throw InputError(what, name_, line_, {},
                   unsigned(std::min<std::uint64_t>(before + 1, UINT32_MAX)));
}

std::unique_ptr<io::ByteSourceBase> open_gzip(int fd, const std::string& name) {
  gzFile gz = gzdopen(fd, "rb");
  if (!gz) {
    close(fd);
    throw InputError("cannot open: out of memory", name);
  }
  gzbuffer(gz, 1 << 20);
  return std::make_unique<gzip_source>(gz, name);
}

// Reads the first bytes of raw, to see a UTF-16 byte-order mark, and wraps it.
std::unique_ptr<io::ByteSourceBase> as_text(
    std::unique_ptr<io::ByteSourceBase> raw, const std::string& name,
    std::string encoding) {
  std::string head(4, '\0');
  head.resize(size_t(raw->read(head.data(), 4)));
  if (names_utf8(encoding)) {
    encoding.clear();
    if (is_utf16_bom(reinterpret_cast<const unsigned char*>(head.data()),
                     head.size())) {
      encoding = "UTF-16";  // iconv reads the mark and drops it
    }
  }
  return std::make_unique<text_source>(std::move(raw), name, std::move(head),
                                       std::move(encoding));
}

}  // namespace

std::string unknown_encoding(const std::string& encoding) {
  return fmt::format(
      "--encoding '{}' is not an encoding iconv knows (for example "
      "windows-1252, "
      "latin1, UTF-16LE; 'iconv -l' lists them)",
      encoding);
}

std::string invalid_utf8(unsigned char byte) {
  return fmt::format(
      "byte 0x{:02X} is not UTF-8; if the file is in another encoding, pass it "
      "with --encoding (for example --encoding windows-1252)",
      unsigned(byte));
}

void check_encoding(const std::string& encoding) {
  if (names_utf8(encoding)) return;
  if (!converter(encoding).valid())
    throw UsageError(unknown_encoding(encoding));
}

std::unique_ptr<io::ByteSourceBase> open_text(const std::string& path,
                                              const std::string& name,
                                              const std::string& encoding,
                                              std::uint64_t* size) {
  if (size) *size = 0;
  if (path == "-") {
    const int fd = dup(STDIN_FILENO);
    if (fd < 0)
      throw InputError(fmt::format("cannot open: {}", std::strerror(errno)),
                       name);
    return as_text(open_gzip(fd, name), name, encoding);
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw InputError(fmt::format("cannot open: {}", std::strerror(errno)),
                     name);
  unsigned char magic[2] = {0, 0};
  const bool gzipped =
      pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (gzipped) return as_text(open_gzip(fd, name), name, encoding);
  struct stat st;
  if (size && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      names_utf8(encoding) && !is_utf16_bom(magic, 2)) {
    *size = std::uint64_t(st.st_size);
  }
  return as_text(std::make_unique<file_source>(fd, name), name, encoding);
}

std::unique_ptr<io::ByteSourceBase> open_text_range(const std::string& path,
                                                    const std::string& name,
                                                    std::uint64_t begin,
                                                    std::uint64_t end) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw InputError(fmt::format("cannot open: {}", std::strerror(errno)),
                     name);
  return std::make_unique<text_source>(
      std::make_unique<range_source>(fd, name, begin, end), name, std::string(),
      std::string());
}

std::unique_ptr<io::ByteSourceBase> text_in_memory(
    std::string_view text, const std::string& name,
    const std::string& encoding) {
  return as_text(std::make_unique<memory_source>(text), name, encoding);
}

bool plain_utf8_file(const std::string& path, const std::string& encoding) {
  if (path == "-" || !names_utf8(encoding)) return false;
  unsigned char head[2] = {0, 0};
  if (read_range(path, 0, reinterpret_cast<char*>(head), 2) < 2) return true;
  return !is_utf16_bom(head, 2) && !(head[0] == 0x1f && head[1] == 0x8b);
}

void require_distinct_files(const std::vector<std::string>& paths) {
  std::vector<std::pair<std::pair<dev_t, ino_t>, size_t>> seen;
  for (size_t k = 0; k < paths.size(); ++k) {
    struct stat st;
    if (paths[k] == "-") {
      st.st_dev = 0, st.st_ino = 0;  // standard input, whatever it is
    } else if (stat(paths[k].c_str(), &st) != 0) {
      continue;
    }
    for (const auto& [id, j] : seen) {
      if (id == std::make_pair(st.st_dev, st.st_ino) &&
          (paths[k] == "-") == (paths[j] == "-")) {
        throw UsageError(fmt::format(
            "'{}' and '{}' are the same file; give each file once (its "
            "rows would be counted twice)",
            paths[j], paths[k]));
      }
    }
    seen.push_back({{st.st_dev, st.st_ino}, k});
  }
}

size_t read_range(const std::string& path, std::uint64_t offset, char* buffer,
                  size_t n) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  const ssize_t got = pread(fd, buffer, n, off_t(offset));
  close(fd);
  return got < 0 ? 0 : size_t(got);
}

}  // namespace ndr
