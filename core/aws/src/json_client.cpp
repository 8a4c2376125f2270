#include "loveless/aws/json_client.hpp"

#include <string>
#include <utility>

#include "loveless/aws/service_client.hpp"

namespace loveless::aws {

struct JsonClient::Impl {
  explicit Impl(const JsonClientOptions& options)
      : target_prefix(options.target_prefix), service(service_options(options)) {}

  static ServiceClientOptions service_options(const JsonClientOptions& options) {
    ServiceClientOptions service;
    service.service = {options.signing_name, "states", "SFN"};
    service.region = options.region;
    // An empty endpoint stays empty (every call fails): this client never
    // guesses AWS from the environment; the caller decides where it talks.
    service.endpoint = options.endpoint;
    service.env = [env = process_environment()](std::string_view name) {
      return name.starts_with("AWS_ENDPOINT_URL") ? std::nullopt : env(name);
    };
    service.credentials = options.credentials;
    service.retry = options.retry;
    service.retry.retry_network_errors = options.retry_network_errors;
    service.connect_timeout = options.connect_timeout;
    service.read_timeout = options.read_timeout;
    service.ca_bundle = options.ca_bundle;
    return service;
  }

  std::string target_prefix;
  ServiceClient service;
};

// The options are only read; the by-value signature predates ServiceClient.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
JsonClient::JsonClient(JsonClientOptions options) : impl_(std::make_unique<Impl>(options)) {}
JsonClient::~JsonClient() = default;
JsonClient::JsonClient(JsonClient&&) noexcept = default;
JsonClient& JsonClient::operator=(JsonClient&&) noexcept = default;

nlohmann::json JsonClient::call(std::string_view operation, const nlohmann::json& request) {
  return impl_->service.json_call(impl_->target_prefix + "." + std::string(operation), "1.0",
                                  request);
}

}  // namespace loveless::aws
