// The floor ndr's speed is measured against: fast-cpp-csv-parser reading the
// same three columns of the same file and discarding them (a byte count is
// kept so the compiler cannot skip the work). No money, date or id parsing.
//   ndr-parse-baseline FILE
#include <libfccp/csv.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: ndr-parse-baseline FILE\n");
    return 2;
  }
  try {
    io::CSVReader<3, io::trim_chars<' ', '\t'>,
                  io::double_quote_escape<',', '"'>>
        in(argv[1]);
    in.read_header(io::ignore_extra_column, "customer_id", "date", "mrr");
    char *customer = nullptr, *date = nullptr, *mrr = nullptr;
    unsigned long long rows = 0, bytes = 0;
    while (in.read_row(customer, date, mrr)) {
      ++rows;
      bytes += std::strlen(customer) + std::strlen(date) + std::strlen(mrr);
    }
    std::printf("%llu rows, %llu field bytes\n", rows, bytes);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ndr-parse-baseline: %s\n", e.what());
    return 1;
  }
  return 0;
}
