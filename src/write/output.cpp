#include "ndr/output.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace ndr {
namespace {

// The signals that kill a process by default and can be caught.
constexpr int kFatalSignals[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGPIPE,
                                 SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ};
constexpr size_t kSignalCount = sizeof kFatalSignals / sizeof kFatalSignals[0];

// The temporary files being written, for the signal handler to remove.
// Fixed buffers: the handler may only call async-signal-safe functions. A
// slot changes only while the fatal signals are blocked (signals_blocked).
struct temp_slot {
  char path[4096];
  std::atomic<bool> live{false};
};
temp_slot g_temps[kMaxOutputFiles];
size_t g_live_temps = 0;

extern "C" void remove_temps_and_die(int sig) {
  for (temp_slot& t : g_temps) {
    if (t.live.load()) unlink(t.path);
  }
  signal(sig, SIG_DFL);
  raise(
      sig);  // delivered when the handler returns: the signal is blocked in it
}

// Blocks the fatal signals for its lifetime, so that a temporary is never
// created without its name being published to the handler.
class signals_blocked {
 public:
  signals_blocked() {
    sigset_t block;
    sigemptyset(&block);
    for (int sig : kFatalSignals) sigaddset(&block, sig);
    sigprocmask(SIG_BLOCK, &block, &old_);
  }
  ~signals_blocked() { sigprocmask(SIG_SETMASK, &old_, nullptr); }
  signals_blocked(const signals_blocked&) = delete;
  signals_blocked& operator=(const signals_blocked&) = delete;

 private:
  sigset_t old_;
};

// The handlers while a temporary exists. A signal the process was started
// with ignored (nohup's SIGHUP) stays ignored: it cannot kill the run.
struct saved_handlers {
  struct sigaction old[kSignalCount];
};
saved_handlers g_saved;

void install_handlers() {
  struct sigaction act {};
  act.sa_handler = remove_temps_and_die;
  sigemptyset(&act.sa_mask);
  for (size_t i = 0; i < kSignalCount; ++i) {
    sigaction(kFatalSignals[i], nullptr, &g_saved.old[i]);
    if (g_saved.old[i].sa_handler != SIG_IGN)
      sigaction(kFatalSignals[i], &act, nullptr);
  }
}

void restore_handlers() {
  for (size_t i = 0; i < kSignalCount; ++i)
    sigaction(kFatalSignals[i], &g_saved.old[i], nullptr);
}

// A slot no temporary holds, or -1. Call with the signals blocked.
int free_slot() {
  for (size_t i = 0; i < kMaxOutputFiles; ++i) {
    if (!g_temps[i].live.load()) return int(i);
  }
  return -1;
}

// Call with the signals blocked, `slot` from free_slot().
void publish_temp(int slot, const std::string& temp) {
  temp_slot& t = g_temps[slot];
  std::snprintf(t.path, sizeof t.path, "%s", temp.c_str());
  t.live.store(true);
  if (g_live_temps++ == 0) install_handlers();
}

// Call with the signals blocked.
void withdraw_temp(int slot) {
  g_temps[slot].live.store(false);
  if (--g_live_temps == 0) restore_handlers();
}

std::runtime_error io_error(const std::string& path, const char* what) {
  return std::runtime_error(
      fmt::format("{}: {}: {}", path, what, std::strerror(errno)));
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

// "dir/" of "dir/name"; "" for a bare name.
std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

std::string name_of(const std::string& path) {
  return path.substr(folder_of(path).size());
}

// Follows symlinks to the file they name, which may not exist yet.
std::string follow_links(const std::string& path) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st;
    if (lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::string target(size_t(PATH_MAX), '\0');
    const ssize_t n = readlink(p.c_str(), target.data(), target.size());
    if (n < 0) throw io_error(path, "cannot read the link");
    target.resize(size_t(n));
    p = target.front() == '/' ? target : folder_of(p) + target;
  }
  errno = ELOOP;
  throw io_error(path, "cannot follow the link");
}

// The PID in a temporary's name ".NAME.ndr-PID-XXXXXX", or 0.
pid_t temp_owner(std::string_view entry, std::string_view prefix) {
  if (entry.substr(0, prefix.size()) != prefix) return 0;
  entry.remove_prefix(prefix.size());
  const auto dash = entry.find('-');
  if (dash == 0 || dash == std::string_view::npos || entry.size() - dash != 7)
    return 0;
  pid_t pid = 0;
  for (char c : entry.substr(0, dash)) {
    if (c < '0' || c > '9' || pid > 99999999) return 0;
    pid = pid * 10 + (c - '0');
  }
  return pid;
}

// Removes temporaries of `target` whose writer no longer exists.
void remove_stale_temps(const std::string& target) {
  const std::string folder = folder_of(target);
  const std::string prefix = "." + name_of(target) + ".ndr-";
  DIR* dir = opendir(folder.empty() ? "." : folder.c_str());
  if (!dir) return;  // creating the temporary will say why
  while (const dirent* e = readdir(dir)) {
    const pid_t pid = temp_owner(e->d_name, prefix);
    if (pid > 0 && kill(pid, 0) == -1 && errno == ESRCH)
      unlink((folder + e->d_name).c_str());
  }
  closedir(dir);
}

void fsync_folder(const std::string& target, const std::string& path) {
  const std::string folder = folder_of(target);
  const int fd = open(folder.empty() ? "." : folder.c_str(),
                      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw io_error(path, "cannot open the folder to flush it");
  const int rc = fsync(fd);
  close(fd);
  if (rc != 0) throw io_error(path, "cannot flush the folder to disk");
}

// The replaced file's mode, owner and group, or a new file's usual mode.
void copy_attributes(int fd, const std::string& target,
                     const std::string& path) {
  struct stat st;
  if (stat(target.c_str(), &st) != 0) {
    if (fchmod(fd, 0666 & ~current_umask()) != 0)
      throw io_error(path, "cannot set permissions");
    return;
  }
  // Owner first: changing it may clear set-id bits that fchmod then restores.
  if (fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM) {
    throw io_error(path, "cannot set the owner");
  }
  if (fchmod(fd, st.st_mode & 07777) != 0)
    throw io_error(path, "cannot set permissions");
}

}  // namespace

output_file::output_file(const std::string& path) : path_(path) {
  if (path.empty()) return;
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    fd_ = open(path.c_str(), O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
    if (fd_ < 0) throw io_error(path, "cannot open");
    return;
  }
  target_ = follow_links(path);
  remove_stale_temps(target_);
  std::string temp = fmt::format("{}.{}.ndr-{}-XXXXXX", folder_of(target_),
                                 name_of(target_), getpid());
  signals_blocked blocked;
  const int slot = free_slot();
  if (slot < 0) {
    throw std::runtime_error(fmt::format(
        "{}: more than {} files written at once", path, kMaxOutputFiles));
  }
  fd_ = mkostemp(temp.data(), O_CLOEXEC);
  if (fd_ < 0) throw io_error(path, "cannot create a temporary file beside it");
  temp_ = temp;
  slot_ = slot;
  publish_temp(slot_, temp_);
}

output_file::~output_file() {
  if (fd_ >= 0) close(fd_);
  if (temp_.empty()) return;
  signals_blocked blocked;
  unlink(temp_.c_str());
  withdraw_temp(slot_);
}

void output_file::write(std::string_view data) {
  stage(data);
  commit();
}

void output_file::stage(std::string_view data) {
  assert(!staged_);
  staged_ = true;
  if (fd_ < 0) return write_stdout(data);
  write_all(fd_, data, path_);
  if (temp_.empty()) return;  // written in place
  copy_attributes(fd_, target_, path_);
  if (fsync(fd_) != 0) throw io_error(path_, "cannot flush to disk");
  const int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) throw io_error(path_, "cannot write");
  fsync_folder(target_, path_);
}

void output_file::commit() {
  assert(staged_);
  if (temp_.empty()) return;
  signals_blocked blocked;
  if (std::rename(temp_.c_str(), target_.c_str()) != 0)
    throw io_error(path_, "cannot replace");
  temp_.clear();
  withdraw_temp(slot_);
  fsync_folder(target_, path_);
}

void output_file::commit_all(const std::vector<output_file*>& files) {
  signals_blocked blocked;
  std::string done;
  for (output_file* f : files) {
    try {
      f->commit();
    } catch (const std::runtime_error& e) {
      if (done.empty()) throw;
      throw std::runtime_error(
          fmt::format("{} ({} already replaced)", e.what(), done));
    }
    if (!f->path_.empty() && f->path_ != "-")
      done += (done.empty() ? "" : ", ") + f->path_;
  }
}

void write_stdout(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size() ||
      std::fflush(stdout) != 0) {
    throw std::runtime_error(fmt::format("cannot write to standard output: {}",
                                         std::strerror(errno)));
  }
}

bool same_file(const std::string& a, const std::string& b) {
  const auto stat_of = [](const std::string& p, struct stat& st) {
    return (p == "-" ? fstat(STDIN_FILENO, &st) : stat(p.c_str(), &st)) == 0;
  };
  struct stat sa, sb;
  return stat_of(a, sa) && stat_of(b, sb) && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

std::string gzip(std::string_view data) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: cannot start zlib");
  }
  std::string out;
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {  // zlib counts in 32 bits: feed and drain it in pieces
    const size_t piece = std::min(data.size(), size_t(1) << 30);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = uInt(piece);
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = deflate(&z, piece == data.size() ? Z_FINISH : Z_NO_FLUSH);
    data.remove_prefix(piece - z.avail_in);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: zlib failed");
  return out;
}

}  // namespace ndr
