// The library's errors. InputError: an input or data problem that knows
// where it is (exit 1). UsageError: options that cannot work (exit 2).
// InternalError: a broken invariant of ndr's own, a bug (exit 70).
#pragma once

#include <stdexcept>
#include <string>

namespace ndr {

// Thrown by the loader and engine for anything wrong with the user's data or
// files. what() is the full one-line message: "path:line: column 'mrr': text",
// with the parts that are unknown left out ("path: text", "text"). A problem
// with the bytes themselves (a NUL, invalid UTF-8) also knows the character
// on the line: "path:line:position: text".
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message, std::string source = {},
                      unsigned line = 0, std::string column = {},
                      unsigned position = 0);

  const std::string& source() const { return source_; }
  unsigned line() const { return line_; }
  const std::string& column() const { return column_; }
  unsigned position() const {
    return position_;
  }  // 1-based character on the line; 0: none
  // The same error `lines` lines further down (an error found in the second
  // part of a file read in two parts, whose lines count from the part's start).
  InputError moved_down(unsigned lines) const;
  // The message without the location prefix.
  const std::string& detail() const { return detail_; }

 private:
  std::string source_;
  unsigned line_;
  std::string column_;
  unsigned position_;
  std::string detail_;
};

// Thrown when what the user asked for cannot be done (an impossible option
// value found after parsing). The CLI maps it to exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown when one of ndr's own invariants is broken: a bug, never the fault
// of the data. The CLI says "internal error" and exits 70 (EX_SOFTWARE).
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Throws InternalError "FILE:LINE: what" when `holds` is false. On in
// release builds: each check runs per report row or per store, not per input
// row.
// (__builtin_FILE and __builtin_LINE: clang 14, which the fuzz targets are
// built with, has no std::source_location.)
inline void check_invariant(bool holds, const char* what,
                            const char* file = __builtin_FILE(),
                            int line = __builtin_LINE()) {
  if (!holds) {
    throw InternalError(std::string(file) + ":" + std::to_string(line) + ": " +
                        what);
  }
}

}  // namespace ndr
