// Finding the columns a report needs in a file's header (SPEC §1: names match
// case-insensitively), and explaining clearly when one is missing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ndr {

// The index of the header column named `wanted` (ASCII case ignored).
// Throws InputError naming `source`, line 1, when none or two match; a
// missing column's message lists the header and suggests the closest column
// as the exact option to add (`option`, e.g. "--mrr-col"), without using it.
size_t find_column(const std::vector<std::string>& header,
                   const std::string& wanted, const std::string& source,
                   const char* option);

inline constexpr size_t kNoColumn = size_t(-1);

// The index of the column named `wanted`, or kNoColumn when the header has
// none (for optional columns). Throws InputError when two columns match.
size_t find_optional_column(const std::vector<std::string>& header,
                            const std::string& wanted,
                            const std::string& source);

// The header has a column named as snapshot dates often are (month,
// snapshot_date, as_of, …).
bool has_snapshot_date_name(const std::vector<std::string>& header);

// Why a row is a spreadsheet's footer or total line rather than data: a
// customer cell that says "Total" (or "Summe", …), or none at all beside an
// amount and no date. nullptr for any other row.
const char* footer_row_message(std::string_view customer, std::string_view date,
                               std::string_view amount);

// `s` with ASCII letters in lower case (column names, statuses, intervals).
std::string lower(std::string_view s);

// `s` as one shell word: as is when it is plain, else in single quotes.
std::string shell_word(const std::string& s);

}  // namespace ndr
