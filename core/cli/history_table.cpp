#include "history_table.hpp"

#include <iomanip>
#include <string>

namespace loveless::cli {
namespace {

std::string truncate(std::string text, std::size_t width) {
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() <= width) return text;
  return text.substr(0, width > 3 ? width - 3 : width) + "...";
}

std::string string_member(const nlohmann::json& details, const char* key) {
  const auto it = details.find(key);
  if (it == details.end()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::string event_detail(const nlohmann::json& event) {
  for (const auto& [key, details] : event.items()) {
    if (key.size() < 7 || key.compare(key.size() - 7, 7, "Details") != 0 || !details.is_object()) {
      continue;
    }
    if (auto worker = string_member(details, "workerName"); !worker.empty()) {
      return "workerName=" + worker;
    }
    if (auto error = string_member(details, "error"); !error.empty()) {
      auto cause = string_member(details, "cause");
      return "error=" + error + (cause.empty() ? "" : " cause=" + cause);
    }
    if (auto name = string_member(details, "name"); !name.empty()) {
      auto text = "state=" + name;
      if (details.contains("index")) text += " index=" + details["index"].dump();
      if (auto output = string_member(details, "output"); !output.empty()) {
        text += " output=" + output;
      }
      return text;
    }
    if (auto resource = string_member(details, "resource"); !resource.empty()) {
      return "resource=" + resource;
    }
    if (auto output = string_member(details, "output"); !output.empty()) return "output=" + output;
    if (auto input = string_member(details, "input"); !input.empty()) return "input=" + input;
    if (details.contains("index")) return "index=" + details["index"].dump();
    if (details.contains("length")) return "length=" + details["length"].dump();
  }
  return {};
}

void print_history_table(std::ostream& out, const nlohmann::json& events,
                         std::size_t detail_width) {
  out << std::left << std::setw(5) << "id" << std::setw(6) << "prev" << std::setw(28) << "type"
      << "detail\n";
  for (const auto& event : events) {
    out << std::left << std::setw(5) << event.value("id", 0) << std::setw(6)
        << event.value("previousEventId", 0) << std::setw(28) << event.value("type", std::string())
        << truncate(event_detail(event), detail_width) << "\n";
  }
}

}  // namespace loveless::cli
