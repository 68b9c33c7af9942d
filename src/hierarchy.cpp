#include "ndr/hierarchy.h"

#include <fmt/format.h>
#include <libfccp/csv.h>

#include <memory>
#include <vector>

#include "byte_source.h"
#include "csv_record.h"
#include "header.h"

namespace ndr {
namespace {

struct parent_row {
  std::string parent;
  unsigned line = 0;
};
using parent_table =
    std::unordered_map<std::string, parent_row, customer_map_hash, std::equal_to<>>;

// Reads child → parent rows, in file order.
std::vector<std::string> read_parents(io::LineReader& lines, const std::string& name,
                                      parent_table& parents) {
  strict_csv_reader reader(lines, name, "customer map");
  const std::vector<std::string>& header = reader.header();
  const size_t child_col = find_column(header, "customer_id", name, "--customer-map");
  const size_t parent_col = find_column(header, "parent_id", name, "--customer-map");
  std::vector<std::string> order;
  csv_record record;
  while (reader.next(record)) {
    const std::string child(record.fields[child_col]);
    const std::string parent(record.fields[parent_col]);
    if (child.empty()) throw InputError("empty customer id", name, record.line, header[child_col]);
    if (parent.empty() || parent == child) continue;  // a top-level account
    const auto [it, added] = parents.try_emplace(child, parent_row{parent, record.line});
    if (!added && it->second.parent != parent) {
      throw InputError(fmt::format("customer '{}' has parent '{}' here and '{}' on line {}", child,
                                   parent, it->second.parent, it->second.line),
                       name, record.line, header[parent_col]);
    }
    if (added) order.push_back(child);
  }
  return order;
}

// The id of every child's topmost parent. A chain that comes back to an id
// on it is a cycle, reported from the first child (in file order) on it.
void roll_up(const parent_table& parents, const std::vector<std::string>& order,
             const std::string& name,
             std::unordered_map<std::string, std::string, customer_map_hash, std::equal_to<>>& top) {
  for (const std::string& child : order) {
    std::vector<std::string_view> chain{child};
    std::string_view at = child;
    for (;;) {
      const auto done = top.find(at);
      if (done != top.end() && at != child) {
        at = done->second;
        break;
      }
      const auto it = parents.find(at);
      if (it == parents.end()) break;
      at = it->second.parent;
      for (size_t k = 0; k < chain.size(); ++k) {
        if (chain[k] != at) continue;
        std::string path;
        for (size_t j = k; j < chain.size(); ++j) path += std::string(chain[j]) + " \u2192 ";
        throw InputError(fmt::format("customer map has a cycle: {}{}", path, at), name);
      }
      chain.push_back(at);
    }
    top.emplace(child, std::string(at));
  }
}

customer_map read_map(io::LineReader& lines, const std::string& name) {
  parent_table parents;
  const std::vector<std::string> order = read_parents(lines, name, parents);
  customer_map map;
  roll_up(parents, order, name, map.tops());
  return map;
}

}  // namespace

customer_map customer_map::load(const std::string& path) {
  io::LineReader lines(path, open_byte_source(path, path));
  return read_map(lines, path);
}

customer_map customer_map::parse(const named_text& text) {
  io::LineReader lines(text.name, text.text.data(), text.text.data() + text.text.size());
  return read_map(lines, text.name);
}

}  // namespace ndr
