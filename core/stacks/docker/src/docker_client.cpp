#include "loveless/stacks/docker/docker_client.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <string_view>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "loveless/aws/sigv4.hpp"

#include "log_frames.hpp"
#include <sys/socket.h>

namespace loveless::stacks {
namespace {

// The newest version Docker 20.10 (Debian 12's docker.io) speaks; later engines
// still serve it, so one prefix works from 20.10 on.
constexpr std::string_view kApiVersion = "/v1.41";
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kUnixScheme = "unix://";

constexpr std::chrono::seconds kConnectTimeout{5};
constexpr std::chrono::seconds kReadTimeout{60};
// A wait blocks for the container's whole life; the connection must outlive it.
constexpr std::chrono::hours kWaitTimeout{24 * 365};

// The engine explains errors as {"message": "..."}; anything else is shown as is.
std::string engine_message(const httplib::Response& response) {
  try {
    const auto body = nlohmann::json::parse(response.body);
    if (body.is_object() && body.contains("message") && body["message"].is_string()) {
      return body["message"].get<std::string>();
    }
  } catch (const nlohmann::json::exception&) {
    // Not JSON: the raw body is the best explanation there is.
  }
  return response.body.empty() ? "no message" : response.body;
}

long long whole_seconds_rounded_up(std::chrono::milliseconds duration) {
  const auto ms = std::max<long long>(duration.count(), 0);
  return (ms + 999) / 1000;
}

enum class Method { kGet, kPost, kDelete };

struct Call {
  Method method = Method::kGet;
  std::string path;
  std::string body;
  std::chrono::milliseconds read_timeout = kReadTimeout;
};

// Sends one request on a fresh connection and returns the response, whatever
// its status; throws DockerError only when there is no response at all.
httplib::Response send(const std::string& socket_path, const std::string& operation,
                       const Call& call) {
  // AF_UNIX makes the socket path the address.
  httplib::Client client(socket_path);
  client.set_address_family(AF_UNIX);
  client.set_connection_timeout(kConnectTimeout);
  client.set_read_timeout(call.read_timeout);
  client.set_write_timeout(kReadTimeout);
  const std::string path = std::string(kApiVersion) + call.path;
  // Left to itself the client would send the socket path as the Host header,
  // which the engine rejects as malformed.
  const httplib::Headers headers = {{"Host", "docker"}};
  httplib::Result result = [&] {
    switch (call.method) {
      case Method::kPost:
        return client.Post(path, headers, call.body, std::string(kJson));
      case Method::kDelete:
        return client.Delete(path, headers);
      case Method::kGet:
        break;
    }
    return client.Get(path, headers);
  }();
  if (!result) {
    throw DockerError(operation, 0,
                      "cannot reach the Docker engine at unix://" + socket_path + ": " +
                          httplib::to_string(result.error()));
  }
  return result.value();
}

// Sends the call and throws DockerError unless the status is 2xx or one of `also_ok`.
httplib::Response expect(const std::string& socket_path, const std::string& operation,
                         const Call& call, std::initializer_list<int> also_ok = {}) {
  auto response = send(socket_path, operation, call);
  const bool ok = (response.status >= 200 && response.status < 300) ||
                  std::find(also_ok.begin(), also_ok.end(), response.status) != also_ok.end();
  if (!ok) throw DockerError(operation, response.status, engine_message(response));
  return response;
}

nlohmann::json parse_json(const std::string& operation, const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw DockerError(operation, 0, std::string("answer is not valid JSON: ") + e.what());
  }
}

std::map<std::string, std::string> labels_of(const nlohmann::json& labels) {
  std::map<std::string, std::string> result;
  if (!labels.is_object()) return result;
  for (const auto& [key, value] : labels.items()) {
    if (value.is_string()) result.emplace(key, value.get<std::string>());
  }
  return result;
}

}  // namespace

DockerError::DockerError(const std::string& operation, int status, const std::string& message)
    : std::runtime_error(operation + ": " + message +
                         (status > 0 ? " (HTTP " + std::to_string(status) + ")" : "")),
      status_(status) {}

DockerClient::DockerClient(std::string socket_path)
    : socket_path_(socket_path.empty() ? default_socket_path() : std::move(socket_path)) {}

std::string DockerClient::default_socket_path() {
  const char* host = std::getenv("DOCKER_HOST");
  if (host == nullptr || *host == '\0') return "/var/run/docker.sock";
  const std::string_view value(host);
  if (!value.starts_with(kUnixScheme) || value.size() == kUnixScheme.size()) {
    throw std::invalid_argument("DOCKER_HOST=" + std::string(value) +
                                ": the docker fleet only talks to a unix socket "
                                "(DOCKER_HOST=unix:///path/to/docker.sock)");
  }
  return std::string(value.substr(kUnixScheme.size()));
}

void DockerClient::ping() const {
  const auto response = expect(socket_path_, "ping", {Method::kGet, "/_ping", {}});
  if (response.body != "OK") throw DockerError("ping", response.status, response.body);
}

bool DockerClient::reachable() const noexcept {
  try {
    ping();
    return true;
  } catch (...) {
    return false;
  }
}

bool DockerClient::has_image(const std::string& image) const {
  const auto response = expect(socket_path_, "inspect image " + image,
                               {Method::kGet, "/images/" + image + "/json", {}}, {404});
  return response.status != 404;
}

std::string DockerClient::create_container(const ContainerConfig& config) const {
  nlohmann::json body = {
      {"Image", config.image}, {"Env", config.environment}, {"Labels", config.labels},
      {"Tty", false},          {"AttachStdin", false},      {"OpenStdin", false},
  };
  if (!config.command.empty()) {
    body["Entrypoint"] = nlohmann::json::array({config.command.front()});
    body["Cmd"] = std::vector<std::string>(config.command.begin() + 1, config.command.end());
  }
  if (!config.user.empty()) body["User"] = config.user;
  nlohmann::json host = {
      {"ReadonlyRootfs", config.read_only_rootfs},
      // The worker is PID 1 itself: signals reach it unfiltered, as they would a
      // Lambda runtime or an ECS task without initProcessEnabled.
      {"Init", false},
      {"AutoRemove", false},
  };
  if (config.host_network) host["NetworkMode"] = "host";
  nlohmann::json binds = nlohmann::json::array();
  if (!config.scratch_dir.empty()) binds.push_back(config.scratch_dir.string() + ":/tmp:rw");
  for (const auto& mount : config.mounts) {
    binds.push_back(mount.host_path.string() + ":" + mount.container_path.string() +
                    (mount.read_only ? ":ro" : ":rw"));
  }
  if (!binds.empty()) host["Binds"] = std::move(binds);
  body["HostConfig"] = std::move(host);

  const std::string operation = "create container from " + config.image;
  const auto response =
      expect(socket_path_, operation, {Method::kPost, "/containers/create", body.dump()});
  const auto answer = parse_json(operation, response.body);
  if (!answer.contains("Id") || !answer["Id"].is_string()) {
    throw DockerError(operation, response.status, "answer has no container Id");
  }
  return answer["Id"].get<std::string>();
}

void DockerClient::start_container(const std::string& id) const {
  // 304: already running, which is what was asked for.
  expect(socket_path_, "start container " + id, {Method::kPost, "/containers/" + id + "/start", {}},
         {304});
}

void DockerClient::kill_container(const std::string& id, const std::string& signal) const {
  expect(socket_path_, "kill container " + id,
         {Method::kPost,
          "/containers/" + id + "/kill?signal=" + loveless::aws::uri_encode(signal),
          {}});
}

void DockerClient::stop_container(const std::string& id, std::chrono::milliseconds grace) const {
  const auto seconds = whole_seconds_rounded_up(grace);
  // The engine answers only after the container is gone, up to `grace` later.
  expect(socket_path_, "stop container " + id,
         {Method::kPost,
          "/containers/" + id + "/stop?t=" + std::to_string(seconds),
          {},
          grace + kReadTimeout},
         {304});
}

void DockerClient::restart_container(const std::string& id, std::chrono::milliseconds grace) const {
  const auto seconds = whole_seconds_rounded_up(grace);
  expect(socket_path_, "restart container " + id,
         {Method::kPost,
          "/containers/" + id + "/restart?t=" + std::to_string(seconds),
          {},
          grace + kReadTimeout});
}

void DockerClient::pause_container(const std::string& id) const {
  expect(socket_path_, "pause container " + id,
         {Method::kPost, "/containers/" + id + "/pause", {}});
}

void DockerClient::unpause_container(const std::string& id) const {
  expect(socket_path_, "unpause container " + id,
         {Method::kPost, "/containers/" + id + "/unpause", {}});
}

int DockerClient::wait_container(const std::string& id) const {
  const std::string operation = "wait for container " + id;
  const auto response = expect(socket_path_, operation,
                               {Method::kPost, "/containers/" + id + "/wait", {}, kWaitTimeout});
  const auto answer = parse_json(operation, response.body);
  if (answer.contains("Error") && answer["Error"].is_object() &&
      answer["Error"].value("Message", std::string()) != "") {
    throw DockerError(operation, response.status, answer["Error"]["Message"].get<std::string>());
  }
  if (!answer.contains("StatusCode") || !answer["StatusCode"].is_number_integer()) {
    throw DockerError(operation, response.status, "answer has no StatusCode");
  }
  return answer["StatusCode"].get<int>();
}

ContainerState DockerClient::inspect_container(const std::string& id) const {
  const std::string operation = "inspect container " + id;
  const auto response =
      expect(socket_path_, operation, {Method::kGet, "/containers/" + id + "/json", {}});
  const auto answer = parse_json(operation, response.body);
  ContainerState state;
  state.id = answer.value("Id", id);
  if (const auto it = answer.find("State"); it != answer.end() && it->is_object()) {
    state.status = it->value("Status", std::string());
    state.running = it->value("Running", false);
    state.paused = it->value("Paused", false);
    state.exit_code = it->value("ExitCode", 0);
    state.oom_killed = it->value("OOMKilled", false);
    state.pid = it->value("Pid", 0);
  }
  if (const auto it = answer.find("Config"); it != answer.end() && it->is_object()) {
    if (const auto labels = it->find("Labels"); labels != it->end())
      state.labels = labels_of(*labels);
  }
  return state;
}

std::string DockerClient::container_logs(const std::string& id) const {
  const auto response = expect(socket_path_, "fetch logs of container " + id,
                               {Method::kGet, "/containers/" + id + "/logs?stdout=1&stderr=1", {}});
  return docker::demultiplex_log_frames(response.body);
}

bool DockerClient::remove_container(const std::string& id) const {
  const auto response = expect(socket_path_, "remove container " + id,
                               {Method::kDelete, "/containers/" + id + "?force=1&v=1", {}}, {404});
  return response.status != 404;
}

std::vector<ContainerSummary> DockerClient::list_containers(
    const std::map<std::string, std::string>& labels) const {
  nlohmann::json label_filters = nlohmann::json::array();
  for (const auto& [key, value] : labels) {
    label_filters.push_back(value.empty() ? key : key + "=" + value);
  }
  const nlohmann::json filters = {{"label", label_filters}};
  const std::string operation = "list containers";
  const auto response =
      expect(socket_path_, operation,
             {Method::kGet,
              "/containers/json?all=1&filters=" + loveless::aws::uri_encode(filters.dump()),
              {}});
  const auto answer = parse_json(operation, response.body);
  std::vector<ContainerSummary> containers;
  if (!answer.is_array()) return containers;
  for (const auto& entry : answer) {
    ContainerSummary summary;
    summary.id = entry.value("Id", std::string());
    summary.state = entry.value("State", std::string());
    if (const auto it = entry.find("Labels"); it != entry.end()) summary.labels = labels_of(*it);
    containers.push_back(std::move(summary));
  }
  return containers;
}

}  // namespace loveless::stacks
