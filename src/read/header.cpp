#include "header.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "ndr/error.h"

namespace ndr {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string join_columns(const std::vector<std::string>& header) {
  std::string out;
  for (const auto& h : header) out += (out.empty() ? "" : ", ") + h;
  return out;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// What else a snapshot date column is called.
const std::vector<std::string> kSnapshotDateNames{
    "month",      "snapshot_date", "snapshot",   "period",   "as_of",
    "as_of_date", "day",           "date_month", "month_end"};

// A subscription's start, end or cancel date: never a snapshot date.
bool subscription_date(const std::string& lower_name) {
  for (const char* word :
       {"start", "cancel", "creat", "trial", "ended", "end_date", "renew"}) {
    if (lower_name.find(word) != std::string::npos) return true;
  }
  return false;
}

// The header column most likely meant for `wanted`, to suggest (never to use:
// an "amount" column may hold annual prices). Empty when nothing is close.
std::string closest_column(const std::vector<std::string>& header,
                           const std::string& wanted, const char* option) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>>
      kSynonyms{
          {"--customer-col",
           {"customer", "customer id", "account", "account_id", "client",
            "client_id", "subscriber", "user_id", "company"}},
          {"--date-col", kSnapshotDateNames},
          {"--mrr-col",
           {"amount", "mrr_amount", "monthly_amount", "revenue", "value",
            "recurring_revenue", "monthly_recurring_revenue"}},
      };
  const std::string w = lower(wanted);
  std::string best;
  size_t best_distance = std::max<size_t>(2, w.size() / 3) + 1;
  for (const auto& h : header) {
    const std::string l = lower(h);
    if (std::string_view(option) == "--date-col" && subscription_date(l))
      continue;
    size_t d = edit_distance(l, w);
    if (l.size() >= 3 &&
        (l.find(w) != std::string::npos || w.find(l) != std::string::npos)) {
      d = std::min<size_t>(d, 1);
    }
    if (d < best_distance) {
      best = h;
      best_distance = d;
    }
  }
  if (!best.empty()) return best;
  for (const auto& [opt, names] : kSynonyms) {
    if (opt != option) continue;
    for (const auto& name : names) {
      for (const auto& h : header) {
        if (lower(h) == name) return h;
      }
    }
  }
  return {};
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
  return out;
}

bool has_snapshot_date_name(const std::vector<std::string>& header) {
  for (const auto& h : header) {
    const std::string l = lower(h);
    for (const auto& name : kSnapshotDateNames) {
      if (l == name) return true;
    }
  }
  return false;
}

const char* footer_row_message(std::string_view customer, std::string_view date,
                               std::string_view amount) {
  if (customer.empty()) {
    if (!date.empty() || amount.empty()) return nullptr;
    return "a footer or total row (an amount without a customer or date), "
           "not a customer's row: delete it from the export (--skip-bad-rows "
           "skips it)";
  }
  // A total, with or without a date (a month's subtotal), is never a
  // customer: read as one, it would count the month twice.
  // Every row passes here: nothing is allocated, and most ids stop at their
  // first letter.
  const char first = char(customer[0] | 0x20);
  if (customer.size() > 11 || (first != 't' && first != 's' && first != 'g'))
    return nullptr;
  for (const char* word :
       {"total", "totals", "grand total", "sum", "summe", "gesamt",
        "gesamtsumme", "somme", "totaal", "totale", "subtotal", "sub-total",
        "total:", "summe:", "sum:", "gesamt:"}) {
    if (iequals(customer, word))
      return "a footer or total row, not a customer's row: delete it from "
             "the export (--skip-bad-rows skips it)";
  }
  return nullptr;
}

std::string shell_word(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

size_t find_optional_column(const std::vector<std::string>& header,
                            const std::string& wanted,
                            const std::string& source) {
  size_t found = kNoColumn;
  for (size_t i = 0; i < header.size(); ++i) {
    if (!iequals(header[i], wanted)) continue;
    if (found != kNoColumn) {
      throw InputError(
          fmt::format("columns '{}' and '{}' both match '{}'; rename one",
                      header[found], header[i], wanted),
          source, 1);
    }
    found = i;
  }
  return found;
}

size_t find_column(const std::vector<std::string>& header,
                   const std::string& wanted, const std::string& source,
                   const char* option) {
  const size_t found = find_optional_column(header, wanted, source);
  if (found == kNoColumn) {
    if (header.size() == 1) {
      for (const char* d : {";", "\t", "|", ","}) {
        if (header[0].find(d[0]) != std::string::npos) {
          const std::string name = d[0] == '\t' ? "tab" : std::string(d);
          throw InputError(
              fmt::format(
                  "missing column '{}': the header is one column, '{}'; is the "
                  "delimiter {}? add --delimiter {} (or --delimiter auto)",
                  wanted, header[0], name, shell_word(name)),
              source, 1);
        }
      }
    }
    const std::string like = closest_column(header, wanted, option);
    const std::string advice =
        like.empty() ? fmt::format("name the column to use with {}", option)
                     : fmt::format("if '{}' is the column, add {} {}", like,
                                   option, shell_word(like));
    throw InputError(fmt::format("missing column '{}' (the header has: {}); {}",
                                 wanted, join_columns(header), advice),
                     source, 1);
  }
  return found;
}

}  // namespace ndr
