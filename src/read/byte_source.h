// Where the readers' bytes come from: a plain file, standard input, a gzip
// stream (read transparently) or a text in memory, as a fast-cpp-csv-parser
// ByteSourceBase that LineReader reads in blocks.
//
// Every input is read as text: decoded to UTF-8 (from --encoding, or from
// UTF-16 when it starts with a UTF-16 byte-order mark) and checked as it is
// read. A NUL byte or a byte that is not UTF-8 is an InputError naming
// FILE:LINE:COLUMN (COLUMN: the character on that line, from 1), so that no
// reader ever truncates a line at a NUL or carries bytes that print as
// something else.
#pragma once

#include <libfccp/csv.h>

#include <memory>
#include <string>
#include <string_view>

namespace ndr {

// Opens `path` ("-" is standard input) as text in `encoding` (an iconv name
// such as windows-1252; empty: UTF-8, or UTF-16 after its byte-order mark).
// A file or stream that starts with the gzip magic bytes is decompressed as
// it is read. Throws InputError naming the path when it cannot be opened; a
// corrupt or truncated gzip stream, a NUL byte or an invalid byte throws
// InputError from read(). *size receives the file's size when it is a plain
// regular file read without decoding (0 otherwise).
std::unique_ptr<io::ByteSourceBase> open_text(const std::string& path,
                                              const std::string& name,
                                              const std::string& encoding = {},
                                              std::uint64_t* size = nullptr);

// Bytes [begin, end) of a plain UTF-8 file, read with pread and checked as
// open_text checks (for reading one file in parts: lines count from begin).
std::unique_ptr<io::ByteSourceBase> open_text_range(const std::string& path,
                                                    const std::string& name,
                                                    std::uint64_t begin,
                                                    std::uint64_t end);

// A text in memory, read as open_text reads a file. The text must outlive
// the source.
std::unique_ptr<io::ByteSourceBase> text_in_memory(
    std::string_view text, const std::string& name,
    const std::string& encoding = {});

// True when `path` is a plain file that open_text reads without decoding
// (no --encoding, no UTF-16 byte-order mark, not gzip): it can be read in
// byte ranges.
bool plain_utf8_file(const std::string& path, const std::string& encoding);

// Up to `n` bytes of `path` from `offset` into `buffer`; the count read.
size_t read_range(const std::string& path, std::uint64_t offset, char* buffer,
                  size_t n);

}  // namespace ndr
