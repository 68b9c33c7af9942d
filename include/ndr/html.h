// The HTML report: one self-contained page (inline CSS and SVG, no script,
// nothing fetched) for people who will not read a CSV.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ndr/engine.h"

namespace ndr {

struct html_options {
  std::string title = "Net dollar retention";  // --title
  std::string stamp;  // --stamp: when it was made; empty leaves it out
  bool arr = false;   // money ×12, labelled ARR
  // Rows --skip-bad-rows skipped: said at the top of the page, never silent.
  std::uint64_t skipped_rows = 0;
  std::vector<std::string> skipped_first;  // FILE:LINE of the first few
};

// The page for `r` (and the cohort triangle `cohorts`, when not empty): a
// headline for the latest period, NDR/GRR/logo retention over time, the
// latest period's MRR bridge, NDR by segment when segmented, the cohort
// heatmap, each chart followed by its numbers as a table. Deterministic:
// the same arguments give the same bytes.
std::string render_html(const report& r,
                        const std::vector<cohort_cell>& cohorts,
                        const html_options& options);

// Text escaped for HTML element content and attribute values.
std::string html_escape(const std::string& text);

}  // namespace ndr
