#include "loveless/scenario/host_file_audit.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace loveless::scenario {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// Data written, data read: what a task can leave and what can rely on it.
constexpr std::uint64_t kMask = FAN_MODIFY | FAN_ACCESS;
/// How long an owner lookup (a /proc read per worker) is trusted for a pid.
constexpr std::chrono::seconds kOwnerTtl{1};
/// Writes of one worker to one file closer together than this are one record.
constexpr std::chrono::milliseconds kWriteRun{50};
/// Never state: kernel views.
constexpr std::array<std::string_view, 2> kAlwaysExcluded = {"/proc", "/sys"};
/// The largest file handle the kernel hands out (MAX_HANDLE_SZ).
constexpr std::size_t kMaxHandle = 128;

bool under(std::string_view path, std::string_view prefix) {
  if (prefix.empty()) return false;
  if (prefix == "/") return true;
  return path == prefix || (path.size() > prefix.size() &&
                            path.substr(0, prefix.size()) == prefix && path[prefix.size()] == '/');
}

/// `f_fsid` of statfs, as fanotify reports it.
using FsId = std::pair<int, int>;

/// The places a worker writes outside its scratch by default; each file
/// system is marked once.
std::vector<fs::path> candidate_places() {
  std::vector<fs::path> places = {"/", "/var/tmp", "/dev/shm"};
  std::error_code ec;
  const auto cwd = fs::current_path(ec);
  if (!ec) places.push_back(cwd);
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    places.emplace_back(home);
  }
  return places;
}

/// The path of an open descriptor, as this process sees it.
std::optional<std::string> descriptor_path(int fd) {
  std::array<char, 4096> buffer{};
  const auto link = "/proc/self/fd/" + std::to_string(fd);
  const auto length = ::readlink(link.c_str(), buffer.data(), buffer.size() - 1);
  if (length <= 0) return std::nullopt;
  std::string path(buffer.data(), static_cast<std::size_t>(length));
  if (path.empty() || path.front() != '/') return std::nullopt;
  if (path.size() > 10 && path.compare(path.size() - 10, 10, " (deleted)") == 0) {
    return std::nullopt;
  }
  return path;
}

/// One event, as FAN_REPORT_FID gives it: no descriptor, the file's handle.
struct FileEvent {
  int pid = 0;
  std::uint64_t mask = 0;
  FsId fsid{};
  /// A `struct file_handle`, copied out of the event buffer (aligned).
  alignas(file_handle) std::array<unsigned char, sizeof(file_handle) + kMaxHandle> handle{};

  /// The file's identity, whatever its name: file system, handle type and
  /// handle bytes, in hex.
  [[nodiscard]] std::string identity() const {
    file_handle head{};
    std::memcpy(&head, handle.data(), sizeof head);
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string text;
    const auto add = [&](const unsigned char* bytes, std::size_t count) {
      for (std::size_t i = 0; i < count; ++i) {
        text += kHex[bytes[i] >> 4U];
        text += kHex[bytes[i] & 0xfU];
      }
    };
    std::array<unsigned char, sizeof(FsId) + sizeof(int)> prefix{};
    std::memcpy(prefix.data(), &fsid.first, sizeof fsid.first);
    std::memcpy(prefix.data() + sizeof fsid.first, &fsid.second, sizeof fsid.second);
    std::memcpy(prefix.data() + sizeof(FsId), &head.handle_type, sizeof head.handle_type);
    add(prefix.data(), prefix.size());
    add(handle.data() + sizeof head, head.handle_bytes);
    return text;
  }
};

/// The FID record of the event at `event` (`event_len` bytes), if any.
bool read_fid(const char* event, std::size_t metadata_len, std::size_t event_len, FileEvent& out) {
  std::size_t offset = metadata_len;
  while (offset + sizeof(fanotify_event_info_header) <= event_len) {
    fanotify_event_info_header header{};
    std::memcpy(&header, event + offset, sizeof header);
    if (header.len == 0 || offset + header.len > event_len) return false;
    if (header.info_type == FAN_EVENT_INFO_TYPE_FID) {
      const char* fid = event + offset + sizeof header;
      const std::size_t available = header.len - sizeof header;
      std::array<int, 2> fsid{};
      if (available < sizeof fsid + sizeof(file_handle)) return false;
      std::memcpy(fsid.data(), fid, sizeof fsid);
      file_handle head{};
      std::memcpy(&head, fid + sizeof fsid, sizeof head);
      const std::size_t size = sizeof head + head.handle_bytes;
      if (head.handle_bytes > kMaxHandle || sizeof fsid + size > available) return false;
      std::memcpy(out.handle.data(), fid + sizeof fsid, size);
      out.fsid = {fsid[0], fsid[1]};
      return true;
    }
    offset += header.len;
  }
  return false;
}

}  // namespace

struct HostFileAudit::Impl {
  Owner owner;
  std::vector<std::string> excluded;
  int group_fd = -1;
  int stop_fd = -1;
  /// A directory of each marked file system, to open handles against.
  std::map<FsId, int> mount_fds;
  std::thread reader;

  mutable std::mutex mutex;
  std::vector<history::HostFileAccess> records;
  std::atomic<std::size_t> dropped{0};
  std::atomic<bool> forget_unknown{false};

  // Reader-thread state (no lock: only the reader touches it).
  struct CachedOwner {
    std::string worker;
    Clock::time_point until;
  };
  std::unordered_map<int, CachedOwner> owners;
  struct LastWrite {
    std::string worker;
    Clock::time_point at;
    /// Bumped on every recorded write, so a read is recorded once per write.
    std::uint64_t generation = 0;
  };
  std::unordered_map<std::string, LastWrite> written;
  /// (file, worker) -> the write generation its last recorded read followed.
  std::map<std::pair<std::string, std::string>, std::uint64_t> reads;

  std::string owner_of(int pid) {
    if (forget_unknown.exchange(false)) {
      std::erase_if(owners, [](const auto& entry) { return entry.second.worker.empty(); });
    }
    const auto now = Clock::now();
    if (const auto it = owners.find(pid); it != owners.end() && it->second.until > now) {
      return it->second.worker;
    }
    std::string worker;
    try {
      worker = owner(pid);
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): no owner known
    }
    if (owners.size() > 4096) owners.clear();
    owners[pid] = {worker, now + kOwnerTtl};
    return worker;
  }

  bool excluded_path(std::string_view path) const {
    for (const auto prefix : kAlwaysExcluded) {
      if (under(path, prefix)) return true;
    }
    for (const auto& prefix : excluded) {
      if (under(path, prefix)) return true;
    }
    return false;
  }

  /// The file's path as this process sees it: through our own mount of its
  /// file system, so a file a worker reached through its private /tmp is
  /// named by its host path (in its scratch, which is excluded).
  std::optional<std::string> path_of(FileEvent& event) const {
    const auto mount = mount_fds.find(event.fsid);
    if (mount == mount_fds.end()) return std::nullopt;
    auto* handle = reinterpret_cast<file_handle*>(event.handle.data());
    const int fd = ::open_by_handle_at(mount->second, handle, O_PATH | O_CLOEXEC);
    if (fd < 0) return std::nullopt;  // deleted since (ESTALE)
    struct stat info {};
    std::optional<std::string> path;
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) path = descriptor_path(fd);
    ::close(fd);
    return path;
  }

  void handle(FileEvent& event, history::TimePoint at,
              std::vector<history::HostFileAccess>& batch) {
    const auto worker = owner_of(event.pid);
    if (worker.empty()) return;
    const auto path = path_of(event);
    if (!path || excluded_path(*path)) return;
    // Keyed by the file, not its name: a cache written to x.tmp and renamed
    // to x is read as x.
    const auto file = event.identity();
    const auto now = Clock::now();
    if ((event.mask & FAN_MODIFY) != 0) {
      auto& last = written[file];
      if (last.worker == worker && now - last.at < kWriteRun && last.generation > 0) {
        last.at = now;
      } else {
        last = {worker, now, last.generation + 1};
        batch.push_back({at, worker, *path, history::ScratchOperation::kModified, file});
      }
    }
    if ((event.mask & FAN_ACCESS) != 0) {
      const auto it = written.find(file);
      if (it == written.end()) return;  // never written by a worker: not state
      auto& seen = reads[{file, worker}];
      if (seen == it->second.generation) return;
      seen = it->second.generation;
      batch.push_back({at, worker, *path, history::ScratchOperation::kRead, file});
    }
  }

  void drain() {
    alignas(fanotify_event_metadata) std::array<char, 64 * 1024> buffer{};
    while (true) {
      const auto length = ::read(group_fd, buffer.data(), buffer.size());
      if (length <= 0) return;  // EAGAIN: drained
      const auto at = std::chrono::system_clock::now();
      std::vector<history::HostFileAccess> batch;
      std::size_t offset = 0;
      const auto total = static_cast<std::size_t>(length);
      while (offset + sizeof(fanotify_event_metadata) <= total) {
        fanotify_event_metadata metadata{};
        std::memcpy(&metadata, buffer.data() + offset, sizeof metadata);
        if (metadata.event_len < sizeof metadata || offset + metadata.event_len > total) break;
        const char* event_start = buffer.data() + offset;
        offset += metadata.event_len;
        if (metadata.vers != FANOTIFY_METADATA_VERSION) continue;
        if ((metadata.mask & FAN_Q_OVERFLOW) != 0) {
          ++dropped;
          continue;
        }
        FileEvent event;
        event.pid = metadata.pid;
        event.mask = metadata.mask;
        if (!read_fid(event_start, metadata.metadata_len, metadata.event_len, event)) continue;
        handle(event, at, batch);
      }
      if (!batch.empty()) {
        const std::lock_guard lock(mutex);
        records.insert(records.end(), batch.begin(), batch.end());
      }
    }
  }

  void run() {
    std::array<pollfd, 2> fds{{{group_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}}};
    while (true) {
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if ((fds[0].revents & POLLIN) != 0) drain();
      if ((fds[1].revents & POLLIN) != 0) {
        drain();  // what the workers did before the stop
        return;
      }
    }
  }

  /// Marks the file system of `place` once; false when the kernel refuses.
  bool mark(const fs::path& place) {
    struct statfs info {};
    if (::statfs(place.c_str(), &info) != 0) return true;  // no such place here: nothing to mark
    std::array<int, 2> raw{};
    static_assert(sizeof raw == sizeof info.f_fsid);
    std::memcpy(raw.data(), &info.f_fsid, sizeof raw);
    const FsId fsid{raw[0], raw[1]};
    if (mount_fds.count(fsid) > 0) return true;
    if (::fanotify_mark(group_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, kMask, AT_FDCWD,
                        place.c_str()) != 0) {
      return false;
    }
    const int fd = ::open(place.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    mount_fds[fsid] = fd;
    return true;
  }

  void close_all() noexcept {
    for (const auto& [fsid, fd] : mount_fds) ::close(fd);
    mount_fds.clear();
    if (group_fd >= 0) ::close(group_fd);
    if (stop_fd >= 0) ::close(stop_fd);
    group_fd = stop_fd = -1;
  }
};

HostFileAudit::HostFileAudit(Owner owner, std::vector<fs::path> excluded)
    : impl_(std::make_unique<Impl>()) {
  impl_->owner = std::move(owner);
  for (const auto& prefix : excluded) {
    auto text = prefix.lexically_normal().string();
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    if (!text.empty()) impl_->excluded.push_back(std::move(text));
  }
  // FAN_REPORT_FID: events carry the file's handle instead of an open
  // descriptor, so the kernel opens no file for the many events of processes
  // that are no worker's; only a worker's are resolved to a path.
  impl_->group_fd = ::fanotify_init(
      FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_UNLIMITED_QUEUE | FAN_REPORT_FID,
      O_RDONLY | O_LARGEFILE | O_CLOEXEC);
  if (impl_->group_fd < 0) {
    throw std::system_error(errno, std::generic_category(), "fanotify is unavailable");
  }
  // The root file system must be marked; the others (a tmpfs without file
  // handles, say) are marked where the kernel allows.
  bool first = true;
  for (const auto& place : candidate_places()) {
    if (!impl_->mark(place) && first) {
      const int error = errno;
      impl_->close_all();
      throw std::system_error(
          error, std::generic_category(),
          "fanotify is unavailable: cannot mark the file system of " + place.string());
    }
    first = false;
  }
  impl_->stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl_->stop_fd < 0) {
    const int error = errno;
    impl_->close_all();
    throw std::system_error(error, std::generic_category(), "eventfd");
  }
  try {
    impl_->reader = std::thread([impl = impl_.get()] { impl->run(); });
  } catch (...) {
    impl_->close_all();
    throw;
  }
}

HostFileAudit::~HostFileAudit() {
  const std::uint64_t one = 1;
  if (::write(impl_->stop_fd, &one, sizeof one) < 0) {
    // Cannot happen for an eventfd below its maximum; the join below would
    // wait forever otherwise, so close the group to end poll() instead.
    ::close(impl_->group_fd);
    impl_->group_fd = -1;
  }
  if (impl_->reader.joinable()) impl_->reader.join();
  impl_->close_all();
}

void HostFileAudit::forget_unknown_processes() { impl_->forget_unknown = true; }

std::vector<history::HostFileAccess> HostFileAudit::take() {
  const std::lock_guard lock(impl_->mutex);
  return std::exchange(impl_->records, {});
}

std::size_t HostFileAudit::dropped() const { return impl_->dropped.load(); }

}  // namespace loveless::scenario
