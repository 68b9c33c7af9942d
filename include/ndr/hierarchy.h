// Account hierarchies (--customer-map): child accounts roll up into their
// topmost parent before anything is summed, so a subsidiary moving between
// entities of one group is neither churn nor new (docs/inputs.md).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "ndr/load.h"

namespace ndr {

struct customer_map_hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};

class customer_map {
 public:
  customer_map() = default;  // no parents: every id is its own top

  // Reads a CSV with the columns customer_id and parent_id (any case, any
  // order; other columns ignored). An empty parent, or a parent equal to the
  // child, means no parent. Throws InputError for an unreadable file, a
  // missing column, an empty child id, a child given two different parents
  // (naming both lines) and a cycle (naming it: "a → b → a").
  static customer_map load(const std::string& path);
  static customer_map parse(
      const named_text& text);  // the same from memory (tests)

  // The topmost parent of `id`, or `id` itself when it is nobody's child.
  // The view stays valid as long as this map and `id` do.
  std::string_view top(std::string_view id) const {
    if (top_.empty()) return id;
    const auto it = top_.find(id);
    return it == top_.end() ? id : std::string_view(it->second);
  }
  size_t size() const { return top_.size(); }  // ids that roll up into another

  using table = std::unordered_map<std::string, std::string, customer_map_hash,
                                   std::equal_to<>>;
  table& tops() { return top_; }  // child → topmost parent (for the reader)

 private:
  table top_;
};

}  // namespace ndr
