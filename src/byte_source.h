// Where the loader's bytes come from: a plain file, standard input, or a
// gzip stream (read transparently, SPEC-issue #3), as a fast-cpp-csv-parser
// ByteSourceBase that LineReader reads in blocks.
#pragma once

#include <libfccp/csv.h>

#include <memory>
#include <string>

namespace ndr {

// Opens `path` ("-" is standard input). A file or stream that starts with the
// gzip magic bytes is decompressed as it is read. Throws InputError naming
// the path when it cannot be opened; a corrupt or truncated gzip stream
// throws InputError from read().
// *size receives the file's size when it is a plain regular file (0 otherwise).
std::unique_ptr<io::ByteSourceBase> open_byte_source(const std::string& path,
                                                     const std::string& name,
                                                     std::uint64_t* size = nullptr);

// Bytes [begin, end) of a plain file, read with pread (for reading in parts).
std::unique_ptr<io::ByteSourceBase> open_byte_range(const std::string& path,
                                                    const std::string& name, std::uint64_t begin,
                                                    std::uint64_t end);

// Up to `n` bytes of `path` from `offset` into `buffer`; the count read.
size_t read_range(const std::string& path, std::uint64_t offset, char* buffer, size_t n);

}  // namespace ndr
