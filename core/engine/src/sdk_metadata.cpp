#include "sdk_metadata.hpp"

#include <chrono>
#include <ctime>

namespace loveless::engine {

std::string http_date_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

void add_sdk_metadata(nlohmann::json& result, const nlohmann::json& headers,
                      const std::string& request_id) {
  nlohmann::json all = nlohmann::json::object();
  for (const auto& [name, value] : headers.items()) all[name] = nlohmann::json::array({value});
  result["SdkHttpMetadata"] = {
      {"AllHttpHeaders", std::move(all)}, {"HttpHeaders", headers}, {"HttpStatusCode", 200}};
  result["SdkResponseMetadata"] = {{"RequestId", request_id}};
}

}  // namespace loveless::engine
