#include <set>
#include <stdexcept>
#include <system_error>

#include "loveless/stacks/pool.hpp"

namespace loveless::stacks {
namespace {

// `/store/` and `/data/../store` name the same place as `/store`.
std::filesystem::path normal(const std::filesystem::path& path) {
  auto result = path.lexically_normal();
  if (!result.has_filename() && result.has_relative_path()) result = result.parent_path();
  return result;
}

[[noreturn]] void reject(const PoolSpec& spec, const BindMount& mount, const std::string& why) {
  throw std::invalid_argument("pool " + spec.name + ": mount " + to_string(mount) + ": " + why);
}

}  // namespace

std::string to_string(const BindMount& mount) {
  return mount.host_path.string() + ":" + mount.container_path.string() +
         (mount.read_only ? ":ro" : "");
}

void validate_mounts(const PoolSpec& spec) {
  std::set<std::filesystem::path> targets;
  for (const auto& mount : spec.mounts) {
    if (!mount.host_path.is_absolute()) reject(spec, mount, "the host path must be absolute");
    if (!mount.container_path.is_absolute()) {
      reject(spec, mount, "the container path must be absolute");
    }
    std::error_code error;
    if (!std::filesystem::exists(mount.host_path, error)) {
      reject(spec, mount,
             "the host path does not exist" + (error ? " (" + error.message() + ")" : ""));
    }
    if (!targets.insert(normal(mount.container_path)).second) {
      reject(spec, mount, "another mount of the pool has the same container path");
    }
  }
}

}  // namespace loveless::stacks
