#include "loveless/stacks/aws/arn.hpp"

#include <array>

namespace loveless::stacks::aws {

std::string Arn::str() const {
  return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
}

std::optional<Arn> parse_arn(std::string_view text) {
  // Five separators; the resource, the sixth field, may contain more.
  std::array<std::string_view, 6> fields;
  std::size_t start = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const auto colon = text.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    fields.at(i) = text.substr(start, colon - start);
    start = colon + 1;
  }
  fields[5] = text.substr(start);
  if (fields[0] != "arn" || fields[1].empty() || fields[2].empty() || fields[5].empty()) {
    return std::nullopt;
  }
  return Arn{std::string(fields[1]), std::string(fields[2]), std::string(fields[3]),
             std::string(fields[4]), std::string(fields[5])};
}

std::optional<EcsServiceName> ecs_service_name(const Arn& arn) {
  if (arn.service != "ecs" || !arn.resource.starts_with("service/")) return std::nullopt;
  const std::string_view rest = std::string_view(arn.resource).substr(8);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size() ||
      rest.find('/', slash + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return EcsServiceName{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
}

std::optional<std::string> lambda_function_name(const Arn& arn) {
  if (arn.service != "lambda" || !arn.resource.starts_with("function:")) return std::nullopt;
  const std::string_view rest = std::string_view(arn.resource).substr(9);
  const auto name = rest.substr(0, rest.find(':'));
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

std::string last_resource_part(std::string_view arn) {
  const auto slash = arn.rfind('/');
  return std::string(slash == std::string_view::npos ? arn : arn.substr(slash + 1));
}

}  // namespace loveless::stacks::aws
