#include "ndr/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace ndr {
namespace {

// The temporary file being written, for the signal handler to remove.
// A fixed buffer: the handler may only call async-signal-safe functions.
char g_temp_path[4096];
std::atomic<bool> g_temp_live{false};

extern "C" void remove_temp_and_die(int sig) {
  if (g_temp_live.load()) unlink(g_temp_path);
  std::signal(sig, SIG_DFL);
  raise(sig);
}

// Installs the handlers for the lifetime of one write and restores the old ones.
class temp_guard {
 public:
  explicit temp_guard(const std::string& path) {
    std::snprintf(g_temp_path, sizeof g_temp_path, "%s", path.c_str());
    g_temp_live.store(true);
    old_int_ = std::signal(SIGINT, remove_temp_and_die);
    old_term_ = std::signal(SIGTERM, remove_temp_and_die);
  }
  ~temp_guard() {
    if (g_temp_live.load()) unlink(g_temp_path);
    g_temp_live.store(false);
    std::signal(SIGINT, old_int_);
    std::signal(SIGTERM, old_term_);
  }
  void committed() { g_temp_live.store(false); }
  temp_guard(const temp_guard&) = delete;
  temp_guard& operator=(const temp_guard&) = delete;

 private:
  void (*old_int_)(int);
  void (*old_term_)(int);
};

std::runtime_error io_error(const std::string& path, const char* what) {
  return std::runtime_error(fmt::format("{}: {}: {}", path, what, std::strerror(errno)));
}

void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error(path, "cannot write");
    data.remove_prefix(size_t(n));
  }
}

mode_t current_umask() {
  const mode_t mask = umask(0);
  umask(mask);
  return mask;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view data) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string temp = dir + "." + base + ".ndr-XXXXXX";

  // Block the signals while the temporary is created and its name published.
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &old);
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    sigprocmask(SIG_SETMASK, &old, nullptr);
    throw io_error(path, "cannot create a temporary file beside it");
  }
  temp_guard guard(temp);
  sigprocmask(SIG_SETMASK, &old, nullptr);

  try {
    write_all(fd, data, path);
    if (fchmod(fd, 0666 & ~current_umask()) != 0) throw io_error(path, "cannot set permissions");
    if (fsync(fd) != 0) throw io_error(path, "cannot flush to disk");
  } catch (...) {
    close(fd);
    throw;
  }
  if (close(fd) != 0) throw io_error(path, "cannot write");
  if (std::rename(temp.c_str(), path.c_str()) != 0) throw io_error(path, "cannot replace");
  guard.committed();
}

void write_stdout(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size() || std::fflush(stdout) != 0) {
    throw std::runtime_error(fmt::format("cannot write to standard output: {}", std::strerror(errno)));
  }
}

}  // namespace ndr
