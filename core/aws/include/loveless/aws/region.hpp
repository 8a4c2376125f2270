#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "loveless/aws/credentials.hpp"

namespace loveless::aws {

/// No region could be resolved; the message says "set AWS_REGION or pass --aws-region".
class RegionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The AWS region, in the SDKs' order ("AWS Region", AWS SDKs and Tools
/// Reference Guide): `explicit_region` when not empty, AWS_REGION,
/// AWS_DEFAULT_REGION, then `region` of the selected profile
/// (`options.profile`, AWS_PROFILE, "default") in the config file
/// (AWS_CONFIG_FILE, default ~/.aws/config). Instance metadata is not
/// consulted. Throws `RegionError`.
[[nodiscard]] std::string resolve_region(std::string_view explicit_region = {},
                                         const CredentialsChainOptions& options = {});

}  // namespace loveless::aws
