#include "ndr/error.h"

namespace ndr {
namespace {

std::string locate(const std::string& message, const std::string& source, unsigned line,
                   const std::string& column) {
  std::string out;
  if (!source.empty()) out += source + (line ? ":" + std::to_string(line) : std::string()) + ": ";
  if (!column.empty()) out += "column '" + column + "': ";
  return out + message;
}

}  // namespace

InputError::InputError(const std::string& message, std::string source, unsigned line,
                       std::string column)
    : std::runtime_error(locate(message, source, line, column)),
      source_(std::move(source)),
      line_(line),
      column_(std::move(column)),
      detail_(message) {}

}  // namespace ndr
