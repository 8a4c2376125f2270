#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "loveless/stacks/pool.hpp"

namespace loveless::stacks {

/// A Docker Engine API call that failed: an error answer, or no answer at all.
/// The message names the operation and carries the engine's own message, e.g.
/// `create container: No such image: loveless/demo:latest (HTTP 404)`.
class DockerError : public std::runtime_error {
 public:
  /// `status` is the HTTP status, 0 when the engine could not be reached.
  DockerError(const std::string& operation, int status, const std::string& message);
  [[nodiscard]] int status() const { return status_; }

 private:
  int status_;
};

/// What a container is created with. The docker fleet's containers always use
/// the host network and a read-only root filesystem, with `scratch_dir` as /tmp.
struct ContainerConfig {
  std::string image;
  /// Overrides the image's entrypoint with argv[0] and passes the rest as Cmd;
  /// empty keeps the image's ENTRYPOINT and CMD.
  std::vector<std::string> command;
  /// `NAME=value` entries.
  std::vector<std::string> environment;
  std::map<std::string, std::string> labels;
  /// Host directory bind-mounted read-write at /tmp; empty mounts nothing.
  std::filesystem::path scratch_dir;
  /// Further bind mounts (`HostConfig.Binds` as `<host>:<container>:rw|ro`),
  /// taken as they are: the fleet validates them (`validate_mounts`).
  std::vector<BindMount> mounts;
  /// `uid:gid` the entrypoint runs as; empty keeps the image's user.
  std::string user;
  bool host_network = true;
  bool read_only_rootfs = true;
};

/// The parts of `GET /containers/{id}/json` the fleet uses.
struct ContainerState {
  std::string id;
  /// `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`.
  std::string status;
  bool running = false;
  bool paused = false;
  int exit_code = 0;
  bool oom_killed = false;
  /// `State.Pid`: the container's init process in the engine's pid namespace
  /// (the host's, for a local engine); 0 when it is not running.
  int pid = 0;
  std::map<std::string, std::string> labels;
};

/// One entry of `GET /containers/json`.
struct ContainerSummary {
  std::string id;
  /// As in ContainerState::status.
  std::string state;
  std::map<std::string, std::string> labels;
};

/// A client of the Docker Engine API (version 1.41, Docker 20.10 and later)
/// over its unix socket. No docker command line is involved.
///
/// Every call opens its own connection, so calls never queue behind a blocking
/// `wait_container` and the client may be shared by any number of threads.
/// Every call throws DockerError when the engine answers with an error or
/// cannot be reached; `reachable` is the one exception.
class DockerClient {
 public:
  /// `socket_path` empty: DOCKER_HOST when it is `unix://<path>`, else
  /// /var/run/docker.sock. Throws std::invalid_argument when DOCKER_HOST names
  /// anything but a unix socket (tcp:// would need TLS settings we do not read).
  explicit DockerClient(std::string socket_path = {});

  /// The socket path DOCKER_HOST selects, or /var/run/docker.sock.
  static std::string default_socket_path();
  [[nodiscard]] const std::string& socket_path() const { return socket_path_; }

  /// `GET /_ping`; throws DockerError when it does not answer OK.
  void ping() const;
  /// Whether `ping` succeeds; never throws.
  [[nodiscard]] bool reachable() const noexcept;
  /// Whether the engine holds `image` (`GET /images/{name}/json`).
  [[nodiscard]] bool has_image(const std::string& image) const;

  /// `POST /containers/create`; returns the new container's id.
  [[nodiscard]] std::string create_container(const ContainerConfig& config) const;
  void start_container(const std::string& id) const;
  /// `POST /containers/{id}/kill` with SIGKILL (or `signal`, e.g. `SIGTERM`).
  void kill_container(const std::string& id, const std::string& signal = "SIGKILL") const;
  /// SIGTERM, then SIGKILL after `grace` (whole seconds, rounded up, as the API takes them).
  void stop_container(const std::string& id, std::chrono::milliseconds grace) const;
  /// Stop (as `stop_container`) and start again: same container, same id.
  void restart_container(const std::string& id, std::chrono::milliseconds grace) const;
  void pause_container(const std::string& id) const;
  void unpause_container(const std::string& id) const;
  /// `POST /containers/{id}/wait`: blocks until the container is not running
  /// (returns at once if it is not), then returns its exit code.
  [[nodiscard]] int wait_container(const std::string& id) const;
  [[nodiscard]] ContainerState inspect_container(const std::string& id) const;
  /// Everything the container wrote to stdout and stderr, interleaved as written
  /// (the API's 8-byte frame headers removed).
  [[nodiscard]] std::string container_logs(const std::string& id) const;
  /// `DELETE /containers/{id}?force=1&v=1`: kills it if running. Returns false
  /// when there was no such container (already removed), which is no error.
  bool remove_container(const std::string& id) const;
  /// Containers, running or not, that carry every label in `labels`; a label
  /// with an empty value matches any value (`{"loveless.run", ""}`).
  [[nodiscard]] std::vector<ContainerSummary> list_containers(
      const std::map<std::string, std::string>& labels) const;

 private:
  std::string socket_path_;
};

}  // namespace loveless::stacks
