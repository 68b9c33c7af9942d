// Writing the finished report: to standard output, or to a file named by -o.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ndr {

// How many output_files may hold a temporary at once.
inline constexpr std::size_t kMaxOutputFiles = 16;

// The destination of one report, opened before the input is read so that a
// temporary file exists (and is cleaned up) for the whole run.
//
// - An empty path is standard output.
// - A path that exists and is not a regular file (a FIFO, a character device
//   such as /dev/null, a socket, a directory) is opened for writing as a
//   shell's `>` would (O_TRUNC, no replacement); opening may fail or block.
// - Otherwise symlinks are followed (the links stay) and the final target is
//   replaced atomically: a temporary `.NAME.ndr-PID-XXXXXX` beside it is
//   written, fsynced, its folder fsynced, renamed over the target and the
//   folder fsynced again. An existing target's mode (and owner and group,
//   where permitted) is kept; a new file gets 0666 less the umask.
// - While the temporary exists, the catchable fatal signals (HUP, INT, QUIT,
//   TERM, PIPE, ALRM, USR1, USR2, XCPU, XFSZ) remove it before the process
//   dies of them. Opening removes temporaries of the same target left by
//   processes that no longer exist (a SIGKILLed run); a live run's are kept.
//
// Throws std::runtime_error naming the path on failure; the destructor removes
// an uncommitted temporary. Up to kMaxOutputFiles temporaries exist at once
// (one run writing several files); opening another throws.
class output_file {
 public:
  explicit output_file(const std::string& path);
  ~output_file();
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;

  // stage, then commit. Call once.
  void write(std::string_view data);
  // Writes all of `data`: to standard output, into the file written in
  // place, or to the temporary, which is then fsynced and closed but not yet
  // renamed. Call once.
  void stage(std::string_view data);
  // After stage: renames the temporary into place (nothing for standard
  // output or a file written in place). A run writing several files stages
  // them all before committing any, so that a failure to write one leaves
  // none replaced.
  void commit();
  // Commits every file in `files` (each staged) with the fatal signals held
  // off for the whole loop, so that a signal cannot land between two renames.
  // When a rename fails after others were done, the error names those.
  static void commit_all(const std::vector<output_file*>& files);

 private:
  std::string path_;  // as given, for messages
  std::string
      target_;        // the file replaced (symlinks followed); empty: in place
  std::string temp_;  // the temporary beside target_; empty when none
  int fd_ = -1;       // -1: standard output (or, once staged, closed)
  int slot_ = -1;     // the temporary's place in the signal handler's list
  bool staged_ = false;
};

// Writes `data` to standard output; throws std::runtime_error on failure.
void write_stdout(std::string_view data);

// True when both paths exist and are the same file (device and inode, after
// symlinks); "-" is standard input.
bool same_file(const std::string& a, const std::string& b);

// A gzip stream of `data` (no name, time 0, so the same data gives the same
// bytes). Throws std::runtime_error if zlib fails.
std::string gzip(std::string_view data);

}  // namespace ndr
