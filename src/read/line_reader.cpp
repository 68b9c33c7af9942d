#include "line_reader.h"

#include <algorithm>
#include <cstring>

namespace ndr {
namespace {

// A text in memory as a byte source, read in blocks.
class memory_source : public io::ByteSourceBase {
 public:
  memory_source(const char* begin, const char* end) : at_(begin), end_(end) {}
  int read(char* buffer, int size) override {
    const auto n = std::min<std::ptrdiff_t>(size, end_ - at_);
    std::memcpy(buffer, at_, size_t(n));
    at_ += n;
    return int(n);
  }

 private:
  const char* at_;
  const char* end_;
};

}  // namespace

line_reader::line_reader(const std::string& name,
                         std::unique_ptr<io::ByteSourceBase> source)
    : source_(std::move(source)), buffer_(kBlock + kSpare) {
  (void)name;
}

line_reader::line_reader(const std::string& name, const char* begin,
                         const char* end)
    : line_reader(name, std::make_unique<memory_source>(begin, end)) {}

bool line_reader::read_more() {
  if (at_end_) return false;
  if (begin_ > 0) {  // move the unread part to the front
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    scanned_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - kSpare - end_ < kBlock / 2) {
    buffer_.resize(std::max(buffer_.size() * 2, end_ + kBlock + kSpare));
  }
  const size_t room = std::min(buffer_.size() - kSpare - end_, size_t(1) << 30);
  const int n = source_->read(buffer_.data() + end_, int(room));
  if (n <= 0) {
    at_end_ = true;
    return false;
  }
  end_ += size_t(n);
  if (first_ && line_ > 0)
    first_ = false;  // the buffer no longer starts the input
  if (first_ && end_ >= 3) {
    first_ = false;
    if (std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0)
      begin_ = scanned_ = 3;
  }
  return true;
}

char* line_reader::next_line() {
  for (;;) {
    const void* newline =
        std::memchr(buffer_.data() + scanned_, '\n', end_ - scanned_);
    size_t line_end =
        newline ? size_t(static_cast<const char*>(newline) - buffer_.data())
                : end_;
    if (line_end - begin_ >= kMaxLine) {
      ++line_;
      io::error::line_length_limit_exceeded error;
      error.set_file_line(int(line_));
      throw error;
    }
    if (!newline) {
      scanned_ = end_;
      if (read_more()) continue;           // it may move and grow the buffer
      if (begin_ == end_) return nullptr;  // no last line without a line end
      line_end = end_;
    }
    ++line_;
    char* const data = buffer_.data();
    char* line = data + begin_;
    data[line_end] = '\0';  // the spare byte when the last line has no line end
    length_ = line_end - begin_;
    if (line_end > begin_ && data[line_end - 1] == '\r') {
      data[line_end - 1] = '\0';
      --length_;
    }
    begin_ = scanned_ = newline ? line_end + 1 : end_;
    return line;
  }
}

}  // namespace ndr
