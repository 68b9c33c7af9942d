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
using parent_table = std::unordered_map<std::string, parent_row,
                                        customer_map_hash, std::equal_to<>>;

std::string parent_text(const std::string& parent) {
  return parent.empty() ? std::string("none") : "'" + parent + "'";
}

// Reads child → parent rows, in file order. A row without a parent (empty,
// or the child itself) is kept too, so that a second row giving that child a
// parent is the conflict it is.
std::vector<std::string> read_parents(line_reader& lines,
                                      const std::string& name,
                                      parent_table& parents) {
  strict_csv_reader reader(lines, name, "customer map");
  const std::vector<std::string>& header = reader.header();
  const size_t child_col =
      find_column(header, "customer_id", name, "--customer-map");
  const size_t parent_col =
      find_column(header, "parent_id", name, "--customer-map");
  std::vector<std::string> order;
  csv_record record;
  while (reader.next(record)) {
    const std::string child(record.fields[child_col]);
    std::string parent(record.fields[parent_col]);
    if (child.empty())
      throw InputError("empty customer id", name, record.line,
                       header[child_col]);
    if (parent == child) parent.clear();  // a top-level account
    const auto [it, added] =
        parents.try_emplace(child, parent_row{parent, record.line});
    if (!added && it->second.parent != parent) {
      throw InputError(
          fmt::format("customer '{}' has parent {} here and {} on line {}",
                      child, parent_text(parent),
                      parent_text(it->second.parent), it->second.line),
          name, record.line, header[parent_col]);
    }
    if (added && !parent.empty()) order.push_back(child);
  }
  return order;
}

// The id of every child's topmost parent. Each walk up a chain records the
// top for every id on it, so each id is walked once; a walk that comes back
// to an id on it is a cycle, named from that id.
void roll_up(const parent_table& parents, const std::vector<std::string>& order,
             const std::string& name, customer_map::table& top) {
  std::vector<std::string_view> path;
  std::unordered_map<std::string_view, size_t> on_path;
  for (const std::string& child : order) {
    if (top.find(child) != top.end()) continue;
    path.assign(1, child);
    on_path.clear();
    on_path.emplace(child, 0);
    std::string root;
    for (std::string_view at = child;;) {
      const auto it = parents.find(at);
      if (it == parents.end() || it->second.parent.empty()) {
        root = std::string(at);
        break;
      }
      const std::string_view next = it->second.parent;
      if (const auto known = top.find(next); known != top.end()) {
        root = known->second;
        break;
      }
      if (const auto seen = on_path.find(next); seen != on_path.end()) {
        std::string cycle;
        for (size_t k = seen->second; k < path.size(); ++k)
          cycle += std::string(path[k]) + " \u2192 ";
        throw InputError(
            fmt::format("customer map has a cycle: {}{}", cycle, next), name);
      }
      on_path.emplace(next, path.size());
      path.push_back(next);
      at = next;
    }
    for (const std::string_view id : path) {
      const auto it = parents.find(id);
      if (it != parents.end() && !it->second.parent.empty())
        top.emplace(std::string(id), root);
    }
  }
}

customer_map read_map(line_reader& lines, const std::string& name) {
  parent_table parents;
  const std::vector<std::string> order = read_parents(lines, name, parents);
  customer_map map;
  roll_up(parents, order, name, map.tops());
  return map;
}

}  // namespace

customer_map customer_map::load(const std::string& path) {
  line_reader lines(path, open_text(path, path));
  return read_map(lines, path);
}

customer_map customer_map::parse(const named_text& text) {
  line_reader lines(text.name, text_in_memory(text.text, text.name));
  return read_map(lines, text.name);
}

}  // namespace ndr
