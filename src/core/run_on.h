// Work split over threads, for the loader and the engine.
#pragma once

#include <exception>
#include <thread>
#include <vector>

namespace ndr {

// Runs work(0) … work(threads - 1), the first on this thread. An exception
// in any of them (out of memory, say) is rethrown here after all have
// ended, never left to terminate the process.
template <typename Work>
void run_on(unsigned threads, Work work) {
  std::vector<std::exception_ptr> failed(threads);
  const auto guarded = [&](unsigned t) {
    try {
      work(t);
    } catch (...) {
      failed[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(guarded, t);
  guarded(0);
  for (auto& t : pool) t.join();
  for (const auto& f : failed) {
    if (f) std::rethrow_exception(f);
  }
}

}  // namespace ndr
