#include "ecs_task_metadata.hpp"

#include <cstdlib>
#include <exception>

#include <nlohmann/json.hpp>

#include "loveless/aws/http_client.hpp"

namespace loveless::worker {

std::optional<std::string> ecs_task_id(std::chrono::milliseconds timeout) {
  const char* uri = std::getenv("ECS_CONTAINER_METADATA_URI_V4");
  if (uri == nullptr || *uri == '\0') return std::nullopt;
  // `http://169.254.170.2/v4/<container id>`: the client takes the origin,
  // the request the path.
  const std::string text = uri;
  const auto scheme_end = text.find("://");
  const auto path_start = text.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (scheme_end == std::string::npos || path_start == std::string::npos) return std::nullopt;
  try {
    aws::HttpClient client(text.substr(0, path_start), timeout);
    const auto response = client.get(text.substr(path_start) + "/task", {}, timeout);
    if (response.status != 200) return std::nullopt;
    const auto task = nlohmann::json::parse(response.body, nullptr, false);
    if (!task.is_object() || !task.contains("TaskARN") || !task["TaskARN"].is_string()) {
      return std::nullopt;
    }
    const auto arn = task["TaskARN"].get<std::string>();
    const auto slash = arn.rfind('/');
    const auto id = slash == std::string::npos ? arn : arn.substr(slash + 1);
    if (id.empty()) return std::nullopt;
    return id;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace loveless::worker
