#include "loveless/aws/region.hpp"

namespace loveless::aws {

std::string resolve_region(std::string_view explicit_region,
                           const CredentialsChainOptions& options) {
  if (!explicit_region.empty()) return std::string(explicit_region);
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto value = options.env(name); value && !value->empty()) return *value;
  }
  const auto profile = selected_profile(options.env, options.profile);
  for (const auto& [key, value] : config_profile(options, profile)) {
    if (key == "region" && !value.empty()) return value;
  }
  throw RegionError(
      "no AWS region: set AWS_REGION or pass --aws-region (AWS_DEFAULT_REGION and "
      "`region` in the config file's profile '" +
      profile + "' are not set either)");
}

}  // namespace loveless::aws
