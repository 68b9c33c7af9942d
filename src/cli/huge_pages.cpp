// The ndr program's operator new: blocks of 2 MiB and more are asked to be
// backed by transparent huge pages (MADV_HUGEPAGE), where the kernel allows
// it (docs/performance.md). On the virtual machines ndr is measured on, a
// fresh 4 KiB page costs a page fault of about 12 µs, 3 ms per MiB; a huge
// page maps 2 MiB in one fault. The store's columns are such blocks: with
// them a 10M-row report spends a tenth of the kernel time.
//
// Only the advice is added: the memory is malloc's, freed by free(), and a
// kernel without THP (or with it set to never) ignores the call.
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define NDR_KEEP_OPERATOR_NEW 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define NDR_KEEP_OPERATOR_NEW 1
#endif
#endif

#ifndef NDR_KEEP_OPERATOR_NEW
namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t(2) << 20;

void* allocate(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  if (size >= kHugePage) {
    // The whole huge pages inside the block; its ends stay 4 KiB pages.
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = (at + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t last = (at + size) & ~(kHugePage - 1);
    if (last > first) {
      madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
    }
  }
  return p;
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
#endif
