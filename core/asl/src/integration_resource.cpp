#include "loveless/asl/integration_resource.hpp"

#include <algorithm>

namespace loveless::asl {
namespace {

bool is_lower_or_dash(char c) { return (c >= 'a' && c <= 'z') || c == '-'; }

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// The longest prefix of `text` whose characters all satisfy `accepts`.
template <typename Accepts>
std::string_view prefix_of(std::string_view text, Accepts accepts) {
  const auto end = std::find_if_not(text.begin(), text.end(), accepts);
  return text.substr(0, static_cast<std::size_t>(end - text.begin()));
}

}  // namespace

std::optional<IntegrationResource> parse_integration_resource(std::string_view resource) {
  constexpr std::string_view kArn = "arn:";
  constexpr std::string_view kStates = ":states:::";
  if (resource.substr(0, kArn.size()) != kArn) return std::nullopt;
  resource.remove_prefix(kArn.size());
  IntegrationResource parsed;
  parsed.partition = prefix_of(resource, is_lower_or_dash);
  if (parsed.partition.empty()) return std::nullopt;
  resource.remove_prefix(parsed.partition.size());
  if (resource.substr(0, kStates.size()) != kStates) return std::nullopt;
  parsed.rest = resource.substr(kStates.size());
  if (parsed.rest.empty()) return std::nullopt;

  const auto service = prefix_of(parsed.rest, [](char c) { return is_alnum(c) || c == '-'; });
  if (service.empty() || service.size() == parsed.rest.size() ||
      parsed.rest[service.size()] != ':') {
    return parsed;
  }
  const auto after_service = parsed.rest.substr(service.size() + 1);
  parsed.service = service;
  parsed.action = prefix_of(after_service, is_alnum);
  parsed.suffix = after_service.substr(parsed.action.size());
  return parsed;
}

}  // namespace loveless::asl
