// The one error type of the library: an input or data problem that knows where it is.
#pragma once

#include <stdexcept>
#include <string>

namespace ndr {

// Thrown by the loader and engine for anything wrong with the user's data or
// files. what() is the full one-line message: "path:line: column 'mrr': text",
// with the parts that are unknown left out ("path: text", "text").
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message, std::string source = {},
                      unsigned line = 0, std::string column = {});

  const std::string& source() const { return source_; }
  unsigned line() const { return line_; }
  const std::string& column() const { return column_; }
  // The message without the location prefix.
  const std::string& detail() const { return detail_; }

 private:
  std::string source_;
  unsigned line_;
  std::string column_;
  std::string detail_;
};

// Thrown when what the user asked for cannot be done (an impossible option
// value found after parsing). The CLI maps it to exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ndr
