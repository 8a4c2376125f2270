#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "loveless/aws/sigv4.hpp"

/// The credential chain of the AWS SDKs ("Standardized credential providers",
/// AWS SDKs and Tools Reference Guide,
/// docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html),
/// without the sources we do not support (SSO, assume-role,
/// credential_process, web identity): those fail with a message that says so.
namespace loveless::aws {

/// Reads one environment variable; nullopt when unset. Injected so that tests
/// need not change the process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// `std::getenv`.
[[nodiscard]] EnvLookup process_environment();

/// No credentials could be had. `what()` lists each source of the chain with
/// what it tried and why it gave nothing, and ends with what to do.
class CredentialsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A source of credentials.
///
/// Thread-safety: `get` may be called from any number of threads at once.
/// Providers of temporary credentials cache them and fetch new ones
/// `kRefreshBefore` before their expiration.
class CredentialsProvider {
 public:
  /// How long before `Credentials::expiration` cached credentials are
  /// refreshed (the SDKs refresh 5 minutes early).
  static constexpr std::chrono::minutes kRefreshBefore{5};

  virtual ~CredentialsProvider() = default;
  /// Current credentials. Throws `CredentialsError`.
  virtual Credentials get() = 0;
};

/// Always returns `credentials` (provider set to "static" when empty).
[[nodiscard]] std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials);

struct CredentialsChainOptions {
  /// The profile to read from the shared files; empty: AWS_PROFILE, then "default".
  std::string profile;
  /// Environment lookup (default: the process environment).
  EnvLookup env = process_environment();
  /// Home directory for ~/.aws; empty: $HOME.
  std::string home;
  /// Bounds each connection and request to the container and instance
  /// metadata endpoints (the SDKs use 1 s), so a laptop without them does not hang.
  std::chrono::milliseconds metadata_timeout{1'000};
  /// The clock that decides when cached credentials are due for refresh.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
};

/// The default chain, in the SDKs' order; the first source that has
/// credentials wins, and the chain remembers it (later `get` calls go to it,
/// refreshing temporary credentials):
/// 1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
/// 2. shared files: AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials,
///    `[name]`) then AWS_CONFIG_FILE (~/.aws/config, `[profile name]`,
///    `[default]`), profile `options.profile`, AWS_PROFILE or "default":
///    aws_access_key_id, aws_secret_access_key, aws_session_token;
/// 3. ECS container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
///    (http://169.254.170.2<uri>) or AWS_CONTAINER_CREDENTIALS_FULL_URI (to
///    loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23 only), with
///    AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE) as Authorization;
/// 4. EC2 instance metadata (IMDSv2) at AWS_EC2_METADATA_SERVICE_ENDPOINT
///    (default http://169.254.169.254), unless AWS_EC2_METADATA_DISABLED=true.
/// Nothing is read or fetched before the first `get`. `get` throws
/// `CredentialsError`.
[[nodiscard]] std::shared_ptr<CredentialsProvider> default_credentials_chain(
    const CredentialsChainOptions& options = {});

/// The sections of an AWS shared config or credentials file: section name
/// (as written, e.g. "profile dev" or "default") to key/value pairs (keys
/// lowercased). Nested (indented) sub-settings are skipped. nullopt when the
/// file cannot be read.
using IniSections =
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>;
[[nodiscard]] std::optional<IniSections> read_ini_file(const std::string& path);

/// The settings of `profile` from the config file (section `[profile name]`,
/// or `[default]` for "default"), empty when there is none or no file.
/// `options` gives the environment and home directory.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> config_profile(
    const CredentialsChainOptions& options, std::string_view profile);

/// The profile in effect: `explicit_profile`, AWS_PROFILE, or "default".
[[nodiscard]] std::string selected_profile(const EnvLookup& env,
                                           std::string_view explicit_profile = {});

}  // namespace loveless::aws
