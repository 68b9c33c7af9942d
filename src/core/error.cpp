#include "ndr/error.h"

namespace ndr {
namespace {

std::string locate(const std::string& message, const std::string& source,
                   unsigned line, const std::string& column,
                   unsigned position) {
  std::string out;
  if (!source.empty()) {
    out += source;
    if (line) out += ":" + std::to_string(line);
    if (line && position) out += ":" + std::to_string(position);
    out += ": ";
  }
  if (!column.empty()) out += "column '" + column + "': ";
  return out + message;
}

}  // namespace

InputError::InputError(const std::string& message, std::string source,
                       unsigned line, std::string column, unsigned position)
    : std::runtime_error(locate(message, source, line, column, position)),
      source_(std::move(source)),
      line_(line),
      column_(std::move(column)),
      position_(position),
      detail_(message) {}

InputError InputError::moved_down(unsigned lines) const {
  return InputError(detail_, source_, line_ ? line_ + lines : 0, column_,
                    position_);
}

}  // namespace ndr
