#include "loveless/aws/credentials.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>
#include <variant>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include "loveless/aws/http_client.hpp"
#include "loveless/timestamps/timestamps.hpp"

namespace loveless::aws {
namespace {

using Clock = std::chrono::system_clock;

std::string trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string env_or(const EnvLookup& env, std::string_view name, const std::string& fallback = {}) {
  auto value = env(name);
  return value && !value->empty() ? *value : fallback;
}

std::string home_of(const CredentialsChainOptions& options) {
  return options.home.empty() ? env_or(options.env, "HOME") : options.home;
}

std::string credentials_file(const CredentialsChainOptions& options) {
  return env_or(options.env, "AWS_SHARED_CREDENTIALS_FILE", home_of(options) + "/.aws/credentials");
}

std::string config_file(const CredentialsChainOptions& options) {
  return env_or(options.env, "AWS_CONFIG_FILE", home_of(options) + "/.aws/config");
}

const std::vector<std::pair<std::string, std::string>>* section(const IniSections& sections,
                                                                std::string_view name) {
  for (const auto& [section_name, values] : sections) {
    if (section_name == name) return &values;
  }
  return nullptr;
}

std::string value_of(const std::vector<std::pair<std::string, std::string>>& values,
                     std::string_view key) {
  for (const auto& [name, value] : values) {
    if (name == key) return value;
  }
  return {};
}

// One source of the chain: credentials, or why it has none. Errors that
// must stop the chain (a profile configured for SSO) throw CredentialsError.
using Outcome = std::variant<Credentials, std::string>;

class Source {
 public:
  virtual ~Source() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  virtual Outcome fetch() = 0;
};

class EnvironmentSource : public Source {
 public:
  explicit EnvironmentSource(EnvLookup env) : env_(std::move(env)) {}
  [[nodiscard]] std::string name() const override { return "environment"; }
  Outcome fetch() override {
    const auto id = env_or(env_, "AWS_ACCESS_KEY_ID");
    const auto secret = env_or(env_, "AWS_SECRET_ACCESS_KEY");
    if (id.empty() && secret.empty()) {
      return std::string("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    }
    if (id.empty() || secret.empty()) {
      return std::string(id.empty() ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                                    : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    }
    return Credentials{id, secret, env_or(env_, "AWS_SESSION_TOKEN"), std::nullopt, "environment"};
  }

 private:
  EnvLookup env_;
};

class ProfileSource : public Source {
 public:
  explicit ProfileSource(CredentialsChainOptions options)
      : options_(std::move(options)), profile_(selected_profile(options_.env, options_.profile)) {}
  [[nodiscard]] std::string name() const override { return "profile " + profile_; }

  Outcome fetch() override {
    const auto credentials_path = credentials_file(options_);
    const auto config_path = config_file(options_);
    const auto from_credentials = read_ini_file(credentials_path);
    const auto from_config = config_profile(options_, profile_);
    const std::vector<std::pair<std::string, std::string>>* keys =
        from_credentials ? section(*from_credentials, profile_) : nullptr;
    // Keys in the credentials file win over the config file, as in the SDKs.
    const auto& settings = keys != nullptr ? *keys : from_config;
    const auto id = value_of(settings, "aws_access_key_id");
    const auto secret = value_of(settings, "aws_secret_access_key");
    if (!id.empty() && !secret.empty()) {
      return Credentials{id, secret, value_of(settings, "aws_session_token"), std::nullopt,
                         "profile " + profile_};
    }
    refuse_unsupported(from_config, config_path);
    if (keys == nullptr && from_config.empty()) {
      return "no [" + profile_ + "] in " + credentials_path +
             (from_credentials ? "" : " (not readable)") + " and no [" +
             (profile_ == "default" ? std::string("default") : "profile " + profile_) + "] in " +
             config_path;
    }
    return "profile '" + profile_ + "' has no aws_access_key_id and aws_secret_access_key";
  }

 private:
  // SSO, role assumption, credential_process and web identity need the STS
  // and SSO APIs, which Loveless does not speak. A profile set up for them
  // is a clear choice of the user, so the chain stops here rather than
  // silently trying the container and instance metadata.
  void refuse_unsupported(const std::vector<std::pair<std::string, std::string>>& settings,
                          const std::string& path) const {
    std::string feature;
    if (!value_of(settings, "sso_session").empty() ||
        !value_of(settings, "sso_start_url").empty() ||
        !value_of(settings, "sso_account_id").empty()) {
      feature = "AWS IAM Identity Center (sso_*)";
    } else if (!value_of(settings, "role_arn").empty()) {
      feature = "role assumption (role_arn)";
    } else if (!value_of(settings, "credential_process").empty()) {
      feature = "credential_process";
    } else if (!value_of(settings, "web_identity_token_file").empty()) {
      feature = "web identity (web_identity_token_file)";
    }
    if (feature.empty()) return;
    throw CredentialsError(
        "AWS profile '" + profile_ + "' in " + path + " uses " + feature +
        ", which Loveless does not support. Export the credentials it resolves to into the "
        "environment, e.g. `eval \"$(aws configure export-credentials --profile " +
        profile_ + " --format env)\"` (after `aws sso login --profile " + profile_ +
        "` for SSO), or use a profile with aws_access_key_id and aws_secret_access_key.");
  }

  CredentialsChainOptions options_;
  std::string profile_;
};

Credentials credentials_from_json(const std::string& body, const std::string& provider) {
  const auto json = nlohmann::json::parse(body);
  Credentials credentials;
  credentials.access_key_id = json.value("AccessKeyId", std::string());
  credentials.secret_access_key = json.value("SecretAccessKey", std::string());
  credentials.session_token = json.value("Token", std::string());
  if (const auto expiration = json.value("Expiration", std::string()); !expiration.empty()) {
    // "2026-11-22T06:00:00Z", as the container and instance metadata
    // services write Expiration; without a zone it is read as UTC.
    const auto instant = timestamps::parse_rfc3339(expiration, timestamps::MissingZone::kUtc);
    if (instant) credentials.expiration = instant->as<Clock::duration>();
  }
  credentials.provider = provider;
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    throw std::runtime_error("the answer has no AccessKeyId and SecretAccessKey");
  }
  return credentials;
}

struct Url {
  std::string origin;  // scheme://host[:port]
  std::string host;    // without brackets
  std::string target;  // path and query, at least "/"
  bool https = false;
};

std::optional<Url> parse_url(std::string_view text) {
  Url url;
  std::string_view rest = text;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
    url.https = true;
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  url.origin = std::string(text.substr(0, text.size() - rest.size())) + std::string(authority);
  if (authority.starts_with('[')) {
    url.host = std::string(authority.substr(1, authority.find(']') - 1));
  } else {
    url.host = std::string(authority.substr(0, authority.rfind(':')));
  }
  if (url.host.empty()) return std::nullopt;
  return url;
}

// Over plain http, the container endpoint may only be one the SDKs allow:
// a loopback address or the ECS and EKS Pod Identity agents; a host name
// must resolve to such addresses only.
bool allowed_container_host(const std::string& host) {
  namespace ip = boost::asio::ip;
  const auto allowed = [](const ip::address& address) {
    return address.is_loopback() || address == ip::make_address("169.254.170.2") ||
           address == ip::make_address("169.254.170.23") ||
           address == ip::make_address("fd00:ec2::23");
  };
  boost::system::error_code error;
  const auto address = ip::make_address(host, error);
  if (!error) return allowed(address);
  boost::asio::io_context io;
  ip::tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, "80", error);
  if (error || results.empty()) return false;
  return std::all_of(results.begin(), results.end(),
                     [&](const auto& entry) { return allowed(entry.endpoint().address()); });
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

class ContainerSource : public Source {
 public:
  explicit ContainerSource(CredentialsChainOptions options) : options_(std::move(options)) {}
  [[nodiscard]] std::string name() const override { return "container"; }

  Outcome fetch() override {
    const auto relative = env_or(options_.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const auto full = env_or(options_.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    std::string address;
    if (!relative.empty()) {
      address = "http://169.254.170.2" + relative;
    } else if (!full.empty()) {
      address = full;
    } else {
      return std::string(
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not "
          "set");
    }
    const auto url = parse_url(address);
    if (!url) return "'" + address + "' is not an http:// or https:// URL";
    if (relative.empty() && !url->https && !allowed_container_host(url->host)) {
      return "AWS_CONTAINER_CREDENTIALS_FULL_URI host '" + url->host +
             "' is not allowed over http (only loopback, 169.254.170.2, 169.254.170.23 and "
             "fd00:ec2::23, as in the AWS SDKs)";
    }
    HttpHeaders headers;
    if (const auto file = env_or(options_.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        !file.empty()) {
      const auto token = read_file(file);
      if (!token) return "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '" + file + "' is not readable";
      headers.emplace_back("Authorization", trim(*token));
    } else if (const auto token = env_or(options_.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
               !token.empty()) {
      headers.emplace_back("Authorization", token);
    }
    try {
      HttpClient http(url->origin, options_.metadata_timeout);
      const auto response = http.get(url->target, headers, options_.metadata_timeout);
      if (response.status != 200) {
        return address + " answered HTTP " + std::to_string(response.status) + ": " +
               response.body.substr(0, 200);
      }
      return credentials_from_json(response.body, "container");
    } catch (const std::exception& e) {
      return address + ": " + e.what();
    }
  }

 private:
  CredentialsChainOptions options_;
};

class InstanceMetadataSource : public Source {
 public:
  explicit InstanceMetadataSource(CredentialsChainOptions options) : options_(std::move(options)) {}
  [[nodiscard]] std::string name() const override { return "instance metadata (IMDSv2)"; }

  Outcome fetch() override {
    if (lowercase(env_or(options_.env, "AWS_EC2_METADATA_DISABLED")) == "true") {
      return std::string("AWS_EC2_METADATA_DISABLED is true");
    }
    auto endpoint =
        env_or(options_.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254");
    if (endpoint.ends_with('/')) endpoint.pop_back();
    constexpr std::string_view kCredentialsPath = "/latest/meta-data/iam/security-credentials/";
    try {
      HttpClient http(endpoint, options_.metadata_timeout);
      // IMDSv2: a session token first (6 hours, the SDKs' default TTL).
      const auto token = http.request("PUT", "/latest/api/token",
                                      {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}, {},
                                      options_.metadata_timeout);
      if (token.status != 200) {
        return endpoint + " answered HTTP " + std::to_string(token.status) + " to the token PUT";
      }
      const HttpHeaders headers = {{"X-aws-ec2-metadata-token", token.body}};
      const auto roles = http.get(kCredentialsPath, headers, options_.metadata_timeout);
      if (roles.status != 200) {
        return endpoint + " has no instance profile (HTTP " + std::to_string(roles.status) + ")";
      }
      const auto role = trim(roles.body.substr(0, roles.body.find('\n')));
      if (role.empty()) return endpoint + " has no instance profile role";
      const auto answer =
          http.get(std::string(kCredentialsPath) + role, headers, options_.metadata_timeout);
      if (answer.status != 200) {
        return endpoint + " answered HTTP " + std::to_string(answer.status) +
               " for the credentials of role " + role;
      }
      return credentials_from_json(answer.body, "imds");
    } catch (const std::exception& e) {
      return endpoint + ": " + e.what();
    }
  }

 private:
  CredentialsChainOptions options_;
};

bool fresh(const Credentials& credentials, Clock::time_point now) {
  return !credentials.expiration ||
         now < *credentials.expiration - CredentialsProvider::kRefreshBefore;
}

class StaticProvider : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials credentials) : credentials_(std::move(credentials)) {
    if (credentials_.provider.empty()) credentials_.provider = "static";
  }
  Credentials get() override { return credentials_; }

 private:
  Credentials credentials_;
};

class ChainProvider : public CredentialsProvider {
 public:
  explicit ChainProvider(const CredentialsChainOptions& options) : now_(options.now) {
    sources_.push_back(std::make_unique<EnvironmentSource>(options.env));
    sources_.push_back(std::make_unique<ProfileSource>(options));
    sources_.push_back(std::make_unique<ContainerSource>(options));
    sources_.push_back(std::make_unique<InstanceMetadataSource>(options));
  }

  // One fetch at a time: callers wait for it rather than all hitting the
  // metadata service at once.
  Credentials get() override {
    std::lock_guard lock(mutex_);
    const auto now = now_();
    if (cached_ && fresh(*cached_, now)) return *cached_;
    if (winner_ != nullptr) {
      // Refresh from the source that gave them; when it fails, credentials
      // not yet expired still serve.
      const auto outcome = winner_->fetch();
      if (const auto* credentials = std::get_if<Credentials>(&outcome)) {
        cached_ = *credentials;
        return *cached_;
      }
      if (cached_ && cached_->expiration && now < *cached_->expiration) return *cached_;
    }
    std::string tried;
    for (const auto& source : sources_) {
      const auto outcome = source->fetch();
      if (const auto* credentials = std::get_if<Credentials>(&outcome)) {
        winner_ = source.get();
        cached_ = *credentials;
        return *cached_;
      }
      tried += "\n  - " + source->name() + ": " + std::get<std::string>(outcome);
    }
    throw CredentialsError(
        "no AWS credentials found; the chain tried, in order:" + tried +
        "\nSet AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary "
        "credentials), or AWS_PROFILE to a profile with keys in ~/.aws/credentials; see "
        "docs/aws-client.md.");
  }

 private:
  std::function<Clock::time_point()> now_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::mutex mutex_;
  Source* winner_ = nullptr;
  std::optional<Credentials> cached_;
};

}  // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    if (const char* value = std::getenv(std::string(name).c_str())) return std::string(value);
    return std::nullopt;
  };
}

std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials) {
  return std::make_shared<StaticProvider>(std::move(credentials));
}

std::shared_ptr<CredentialsProvider> default_credentials_chain(
    const CredentialsChainOptions& options) {
  return std::make_shared<ChainProvider>(options);
}

std::optional<IniSections> read_ini_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  IniSections sections;
  std::string line;
  bool nested = false;  // inside an indented block under "key =" (e.g. s3 =)
  while (std::getline(file, line)) {
    const bool indented = !line.empty() && (line.front() == ' ' || line.front() == '\t');
    const auto text = trim(line);
    if (text.empty() || text.front() == '#' || text.front() == ';') continue;
    if (text.front() == '[') {
      const auto close = text.find(']');
      if (close == std::string::npos) continue;
      sections.emplace_back(trim(std::string_view(text).substr(1, close - 1)),
                            std::vector<std::pair<std::string, std::string>>{});
      nested = false;
      continue;
    }
    if (sections.empty()) continue;
    if (indented && nested) continue;
    const auto equals = text.find('=');
    if (equals == std::string::npos) continue;
    auto key = lowercase(trim(std::string_view(text).substr(0, equals)));
    auto value = trim(std::string_view(text).substr(equals + 1));
    nested = value.empty();
    if (!nested) sections.back().second.emplace_back(std::move(key), std::move(value));
  }
  return sections;
}

std::string selected_profile(const EnvLookup& env, std::string_view explicit_profile) {
  if (!explicit_profile.empty()) return std::string(explicit_profile);
  return env_or(env, "AWS_PROFILE", "default");
}

std::vector<std::pair<std::string, std::string>> config_profile(
    const CredentialsChainOptions& options, std::string_view profile) {
  const auto sections = read_ini_file(config_file(options));
  if (!sections) return {};
  const auto* found = section(*sections, "profile " + std::string(profile));
  if (found == nullptr && profile == "default") found = section(*sections, "default");
  return found != nullptr ? *found : std::vector<std::pair<std::string, std::string>>{};
}

}  // namespace loveless::aws
