#include "loveless/scenario/scratch_audit.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace loveless::scenario {

namespace {

namespace fs = std::filesystem;

/// What every watch reports. IN_CLOSE_NOWRITE is not recorded but keeps two
/// opens of one file apart in the queue: the kernel merges an event with an
/// identical one still unread before it, so open-close-open would be one open.
/// IN_EXCL_UNLINK: nothing about files already unlinked (open somewhere, but
/// gone from scratch).
/// IN_ACCESS: data read from a file, or a directory listed (getdents); an
/// open to overwrite or truncate never produces it.
constexpr std::uint32_t kMask = IN_CREATE | IN_OPEN | IN_ACCESS | IN_MODIFY | IN_CLOSE_WRITE |
                                IN_CLOSE_NOWRITE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                IN_ONLYDIR | IN_EXCL_UNLINK;
/// Subdirectories: never follow a symbolic link out of the scratch directory.
constexpr std::uint32_t kSubdirectoryMask = kMask | IN_DONT_FOLLOW;
/// A directory's listing this soon after the audit listed it itself (to
/// watch its subdirectories) is taken for the audit's own: inotify cannot
/// tell who read a directory.
constexpr std::chrono::milliseconds kOwnListingWindow{100};

/// `rel/name`, or `name` at the top of the scratch directory.
std::string join(const std::string& rel, const std::string& name) {
  return rel.empty() ? name : rel + "/" + name;
}

bool within(const std::string& rel, const std::string& dir) {
  return rel == dir || (rel.size() > dir.size() && rel.compare(0, dir.size(), dir) == 0 &&
                        rel[dir.size()] == '/');
}

/// The directory vanished or was replaced between its event and our watch:
/// a race with the worker, not a loss.
bool vanished(int error) { return error == ENOENT || error == ENOTDIR || error == ELOOP; }

/// One watched directory seen by one worker (workers may share a directory).
struct Owner {
  std::string worker;
  /// The directory relative to the worker's scratch directory ("" at its top).
  std::string rel;
};

}  // namespace

struct ScratchAudit::Impl {
  int inotify_fd = -1;
  int stop_fd = -1;
  std::thread reader;

  mutable std::mutex mutex;
  /// Watch descriptor -> worker -> directory relative to that worker's scratch dir.
  std::unordered_map<int, std::map<std::string, std::string>> watches;
  /// Watch descriptor -> until when a listing of its directory is the audit's own.
  std::unordered_map<int, std::chrono::steady_clock::time_point> own_listing;
  struct Root {
    fs::path dir;
    int wd = -1;
  };
  /// Worker -> its scratch directory (absolute) and that directory's watch.
  std::map<std::string, Root> roots;
  std::vector<history::ScratchAccess> records;
  std::atomic<std::size_t> dropped{0};

  /// The records of one read: one timestamp, and the last operation per
  /// worker and path so a run of modifications is recorded once.
  struct Batch {
    history::TimePoint at;
    std::unordered_map<std::string, history::ScratchOperation> last;
  };

  Impl() {
    inotify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd < 0) {
      throw std::system_error(errno, std::generic_category(),
                              "inotify is unavailable: inotify_init1 failed (not supported by "
                              "the kernel, or fs.inotify.max_user_instances reached)");
    }
    stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop_fd < 0) {
      const int error = errno;
      ::close(inotify_fd);
      throw std::system_error(error, std::generic_category(), "scratch audit: eventfd failed");
    }
  }

  ~Impl() {
    if (stop_fd >= 0) ::close(stop_fd);
    if (inotify_fd >= 0) ::close(inotify_fd);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void stop() {
    if (!reader.joinable()) return;
    const std::uint64_t one = 1;
    while (::write(stop_fd, &one, sizeof one) < 0 && errno == EINTR) {
    }
    reader.join();
  }

  // --- the watch table (callers hold `mutex`) ---

  void record(Batch& batch, const std::string& worker, std::string path,
              history::ScratchOperation op) {
    std::string key = worker;
    key.push_back('\0');
    key += path;
    auto [it, inserted] = batch.last.try_emplace(std::move(key), op);
    if (!inserted) {
      // One record for a run of writes, or of reads, to one file within one read.
      if ((op == history::ScratchOperation::kModified || op == history::ScratchOperation::kRead) &&
          it->second == op) {
        return;
      }
      it->second = op;
    }
    records.push_back(history::ScratchAccess{batch.at, worker, std::move(path), op});
  }

  /// Forgets `wd` for `worker`; removes the kernel watch when nobody else uses it.
  void release(int wd, const std::string& worker) {
    auto it = watches.find(wd);
    if (it == watches.end()) return;
    it->second.erase(worker);
    if (it->second.empty()) {
      ::inotify_rm_watch(inotify_fd, wd);
      watches.erase(it);
    }
  }

  void forget_worker(const std::string& worker) {
    std::vector<int> wds;
    for (const auto& [wd, owners] : watches) {
      if (owners.contains(worker)) wds.push_back(wd);
    }
    for (int wd : wds) release(wd, worker);
    roots.erase(worker);
  }

  /// Forgets the watches of `dir` (relative to `worker`'s scratch dir) and below.
  void forget_subtree(const std::string& worker, const std::string& dir) {
    std::vector<int> wds;
    for (const auto& [wd, owners] : watches) {
      auto it = owners.find(worker);
      if (it != owners.end() && within(it->second, dir)) wds.push_back(wd);
    }
    for (int wd : wds) release(wd, worker);
  }

  /// Watches `dir` for `owners`. Returns 0, or the errno of a failure that is
  /// not the directory having vanished.
  int add_directory(const fs::path& dir, const std::vector<Owner>& owners, std::uint32_t mask,
                    int& wd) {
    wd = ::inotify_add_watch(inotify_fd, dir.c_str(), mask);
    if (wd < 0) return vanished(errno) ? 0 : errno;
    auto& entry = watches[wd];
    for (const auto& owner : owners) entry[owner.worker] = owner.rel;
    return 0;
  }

  /// Watches the subdirectories of `dir` (seen by `owners`), recursively. With
  /// `batch`, records every entry found as created (the contents of a
  /// directory created or moved in before its watch started). Returns the
  /// errno of the first watch that failed other than by vanishing, else 0.
  int add_children(const fs::path& dir, int wd, const std::vector<Owner>& owners, Batch* batch) {
    int first_error = 0;
    // This listing is the audit's own, not a worker's read of its scratch.
    if (wd >= 0) own_listing[wd] = std::chrono::steady_clock::now() + kOwnListingWindow;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      std::vector<Owner> child_owners;
      child_owners.reserve(owners.size());
      for (const auto& owner : owners)
        child_owners.push_back({owner.worker, join(owner.rel, name)});
      if (batch != nullptr) {
        for (const auto& child : child_owners) {
          record(*batch, child.worker, child.rel, history::ScratchOperation::kCreated);
        }
      }
      std::error_code status_ec;
      if (it->symlink_status(status_ec).type() != fs::file_type::directory) continue;
      int child_wd = -1;
      int error = add_directory(it->path(), child_owners, kSubdirectoryMask, child_wd);
      if (error == 0 && child_wd >= 0)
        error = add_children(it->path(), child_wd, child_owners, batch);
      if (error != 0 && first_error == 0) first_error = error;
    }
    return first_error;
  }

  // --- the reader thread ---

  void run() {
    alignas(inotify_event) char buffer[64 * 1024];
    pollfd fds[2] = {{inotify_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    for (;;) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno != EINTR) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      if (fds[1].revents != 0) return;
      if ((fds[0].revents & POLLIN) == 0) continue;
      for (;;) {
        const ssize_t length = ::read(inotify_fd, buffer, sizeof buffer);
        if (length < 0 && errno == EINTR) continue;
        if (length <= 0) break;  // EAGAIN: drained
        const history::TimePoint at = std::chrono::system_clock::now();
        try {
          handle(buffer, static_cast<std::size_t>(length), at);
        } catch (...) {
          // Out of memory while recording: the batch is (partly) lost, not silently.
          dropped.fetch_add(1);
        }
      }
    }
  }

  void handle(const char* buffer, std::size_t length, history::TimePoint at) {
    std::lock_guard lock(mutex);
    Batch batch{at, {}};
    for (std::size_t offset = 0; offset + sizeof(inotify_event) <= length;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      offset += sizeof(inotify_event) + event->len;
      handle(*event, batch);
    }
  }

  void handle(const inotify_event& event, Batch& batch) {
    if ((event.mask & IN_Q_OVERFLOW) != 0) {
      dropped.fetch_add(1);
      return;
    }
    auto it = watches.find(event.wd);
    if ((event.mask & IN_IGNORED) != 0) {
      // The directory was removed (a wipe, a deleted subdirectory) or unwatched.
      if (it != watches.end()) watches.erase(it);
      return;
    }
    if (it == watches.end()) return;
    if (event.len == 0) {
      // An event on the watched directory itself. Only a listing is recorded
      // here (as a read of the directory, `.` for the scratch directory): the
      // parent's watch, if any, reports the rest, and listings only here so
      // a subdirectory's listing is recorded once.
      const auto own = own_listing.find(event.wd);
      if ((event.mask & IN_ACCESS) != 0 &&
          (own == own_listing.end() || std::chrono::steady_clock::now() > own->second)) {
        for (const auto& [worker, rel] : it->second) {
          record(batch, worker, rel.empty() ? std::string(".") : rel,
                 history::ScratchOperation::kRead);
        }
      }
      return;
    }

    const std::string name(event.name);
    std::vector<Owner> owners;
    for (const auto& [worker, rel] : it->second) owners.push_back({worker, join(rel, name)});
    const bool directory = (event.mask & IN_ISDIR) != 0;

    if ((event.mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
      for (const auto& owner : owners) {
        record(batch, owner.worker, owner.rel, history::ScratchOperation::kCreated);
      }
      if (directory) watch_new_directory(owners, batch);
    }
    if ((event.mask & IN_OPEN) != 0 && !directory) {
      for (const auto& owner : owners) {
        record(batch, owner.worker, owner.rel, history::ScratchOperation::kOpened);
      }
    }
    if ((event.mask & IN_ACCESS) != 0 && !directory) {
      for (const auto& owner : owners) {
        record(batch, owner.worker, owner.rel, history::ScratchOperation::kRead);
      }
    }
    if ((event.mask & (IN_MODIFY | IN_CLOSE_WRITE)) != 0 && !directory) {
      for (const auto& owner : owners) {
        record(batch, owner.worker, owner.rel, history::ScratchOperation::kModified);
      }
    }
    if ((event.mask & (IN_DELETE | IN_MOVED_FROM)) != 0) {
      for (const auto& owner : owners) {
        record(batch, owner.worker, owner.rel, history::ScratchOperation::kDeleted);
        // Moved away: its watches would report under the old name.
        if (directory && (event.mask & IN_MOVED_FROM) != 0) forget_subtree(owner.worker, owner.rel);
      }
    }
  }

  /// A directory created or moved in: watch it and what it already holds.
  void watch_new_directory(const std::vector<Owner>& owners, Batch& batch) {
    const auto root = roots.find(owners.front().worker);
    if (root == roots.end()) return;
    const fs::path dir = root->second.dir / owners.front().rel;
    int wd = -1;
    int error = add_directory(dir, owners, kSubdirectoryMask, wd);
    if (error == 0 && wd >= 0) error = add_children(dir, wd, owners, &batch);
    if (error != 0) dropped.fetch_add(1);
  }
};

ScratchAudit::ScratchAudit() : impl_(std::make_unique<Impl>()) {
  impl_->reader = std::thread([impl = impl_.get()] { impl->run(); });
}

ScratchAudit::~ScratchAudit() { impl_->stop(); }

void ScratchAudit::watch(const std::string& worker, const std::filesystem::path& scratch_dir) {
  if (worker.empty()) throw std::invalid_argument("scratch audit: empty worker name");
  const fs::path root = fs::absolute(scratch_dir).lexically_normal();
  std::lock_guard lock(impl_->mutex);
  if (auto it = impl_->roots.find(worker); it != impl_->roots.end()) {
    // Still watched there? The kernel knows: adding a watch on a directory
    // already watched returns its descriptor, while a directory removed and
    // created again at that path (its inode number may even be reused) gets a
    // new one, though the reader may not have seen the old watch end yet.
    if (it->second.dir == root) {
      const int current = ::inotify_add_watch(impl_->inotify_fd, root.c_str(), kMask);
      const auto watch = impl_->watches.find(current);
      if (current >= 0 && current == it->second.wd && watch != impl_->watches.end() &&
          watch->second.contains(worker)) {
        return;
      }
    }
    impl_->forget_worker(worker);
  }
  const int wd = ::inotify_add_watch(impl_->inotify_fd, root.c_str(), kMask);
  if (wd < 0) {
    const int error = errno;
    throw std::system_error(error, std::generic_category(),
                            "scratch audit: cannot watch " + root.string() + " for " + worker +
                                (error == ENOSPC ? " (fs.inotify.max_user_watches reached)" : ""));
  }
  impl_->roots[worker] = {root, wd};
  impl_->watches[wd][worker] = "";
  const int error = impl_->add_children(root, wd, {{worker, ""}}, nullptr);
  if (error != 0) {
    impl_->forget_worker(worker);
    throw std::system_error(error, std::generic_category(),
                            "scratch audit: cannot watch a subdirectory of " + root.string() +
                                " for " + worker +
                                (error == ENOSPC ? " (fs.inotify.max_user_watches reached)" : ""));
  }
}

void ScratchAudit::unwatch(const std::string& worker) {
  std::lock_guard lock(impl_->mutex);
  impl_->forget_worker(worker);
}

bool ScratchAudit::watching(const std::string& worker) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->roots.contains(worker);
}

std::vector<history::ScratchAccess> ScratchAudit::take() {
  std::lock_guard lock(impl_->mutex);
  return std::exchange(impl_->records, {});
}

std::size_t ScratchAudit::dropped() const { return impl_->dropped.load(); }

}  // namespace loveless::scenario
