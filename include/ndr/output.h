// Writing the finished report: to standard output, or atomically to a file.
#pragma once

#include <string>
#include <string_view>

namespace ndr {

// Writes `data` to `path` atomically: a temporary file in the same folder is
// written, flushed to disk and renamed over `path`, so readers see the old
// file or the whole new one, never a part. The new file gets the permissions
// a plain create would (0666 less the umask). If the process is interrupted
// by SIGINT or SIGTERM meanwhile, the temporary file is removed. Throws
// std::runtime_error naming the path on failure (the temporary is removed).
void write_file_atomically(const std::string& path, std::string_view data);

// Writes `data` to standard output; throws std::runtime_error on failure.
void write_stdout(std::string_view data);

}  // namespace ndr
