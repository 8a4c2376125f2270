// The worker inside the local-stack test image (FROM scratch, linked
// statically, so it brings its own HTTP: plain HTTP/1.1 over a socket to
// 127.0.0.1, one connection per request). Like demo-worker, one binary serves
// both roles:
//   AWS_LAMBDA_RUNTIME_API set  a Lambda function: /invocation/next, then
//                               /response with the result
//   otherwise                   an activity worker: GetActivityTask on
//                               LOVELESS_ACTIVITY_ARN at AWS_ENDPOINT_URL_SFN as
//                               LOVELESS_WORKER_NAME, then SendTaskSuccess
// The result is {"echo": <input>, "worker": LOVELESS_WORKER_NAME, "role":
// "activity"|"function", "read": <content of LOVELESS_TEST_READ_FILE>}; with
// LOVELESS_TEST_RECORD_DIR it also writes <dir>/<worker>-<n>.json holding the
// input (what a worker shares through a mounted store).
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using nlohmann::json;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

struct Response {
  int status = 0;
  std::string headers;  // lower-cased header block
  std::string body;
  [[nodiscard]] std::string header(const std::string& lower_name) const {
    const auto at = headers.find("\n" + lower_name + ":");
    if (at == std::string::npos) return {};
    auto begin = at + lower_name.size() + 2;
    while (begin < headers.size() && headers[begin] == ' ') ++begin;
    const auto end = headers.find('\r', begin);
    return headers.substr(begin, end - begin);
  }
};

// `127.0.0.1:<port>` or `http://127.0.0.1:<port>`: the fleets' only endpoints.
int port_of(const std::string& endpoint) {
  const auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(endpoint.c_str() + colon + 1);
}

// Sends one request and reads the answer until the server closes; nullopt
// when there is no answer (the engine is gone).
std::optional<Response> request(int port, const std::string& method, const std::string& path,
                                const std::string& extra_headers, const std::string& body,
                                const std::string& content_type = "application/json") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::nullopt;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  std::string message = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers +
                        "Content-Type: " + content_type +
                        "\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\nConnection: close\r\n\r\n" + body;
  std::size_t sent = 0;
  while (sent < message.size()) {
    const auto n = ::send(fd, message.data() + sent, message.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return std::nullopt;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buffer[8192];
  while (true) {
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto split = raw.find("\r\n\r\n");
  if (split == std::string::npos || raw.compare(0, 5, "HTTP/") != 0) return std::nullopt;
  Response response;
  response.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  response.headers = raw.substr(0, split + 2);
  for (auto& c : response.headers) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  response.body = raw.substr(split + 4);
  if (const auto length = response.header("content-length"); !length.empty()) {
    response.body.resize(std::min<std::size_t>(response.body.size(), std::stoul(length)));
  }
  return response;
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json result_for(const json& input, const char* role) {
  static int handled = 0;
  const auto worker = env("LOVELESS_WORKER_NAME");
  if (const auto dir = env("LOVELESS_TEST_RECORD_DIR"); !dir.empty()) {
    std::ofstream(dir + "/" + worker + "-" + std::to_string(++handled) + ".json") << input.dump();
  }
  json result = {{"echo", input}, {"worker", worker}, {"role", role}};
  if (const auto file = env("LOVELESS_TEST_READ_FILE"); !file.empty()) {
    result["read"] = read_whole(file);
  }
  return result;
}

int serve_function() {
  const int port = port_of(env("AWS_LAMBDA_RUNTIME_API"));
  const std::string base = "/2018-06-01/runtime/invocation/";
  while (true) {
    const auto next = request(port, "GET", base + "next", {}, {});
    if (!next || next->status != 200) return 1;
    const auto id = next->header("lambda-runtime-aws-request-id");
    const auto event = json::parse(next->body, nullptr, false);
    request(port, "POST", base + id + "/response", {}, result_for(event, "function").dump());
  }
}

std::optional<json> call_engine(int port, const std::string& operation, const json& body) {
  const auto response =
      request(port, "POST", "/", "X-Amz-Target: AWSStepFunctions." + operation + "\r\n",
              body.dump(), "application/x-amz-json-1.0");
  if (!response || response->status != 200) return std::nullopt;
  return json::parse(response->body, nullptr, false);
}

int serve_activity() {
  const int port = port_of(env("AWS_ENDPOINT_URL_SFN"));
  const json poll = {{"activityArn", env("LOVELESS_ACTIVITY_ARN")},
                     {"workerName", env("LOVELESS_WORKER_NAME")}};
  while (true) {
    const auto task = call_engine(port, "GetActivityTask", poll);
    if (!task) {
      // The engine may not answer yet, or any more: look again shortly.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    const auto token = task->value("taskToken", std::string());
    if (token.empty()) continue;
    const auto input = json::parse(task->value("input", std::string("null")), nullptr, false);
    call_engine(port, "SendTaskSuccess",
                {{"taskToken", token}, {"output", result_for(input, "activity").dump()}});
  }
}

}  // namespace

int main() {
  std::printf("test stack worker %s started\n", env("LOVELESS_WORKER_NAME").c_str());
  std::fflush(stdout);
  return env("AWS_LAMBDA_RUNTIME_API").empty() ? serve_activity() : serve_function();
}
