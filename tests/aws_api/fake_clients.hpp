#pragma once

#include <optional>
#include <string>

#include "loveless/aws/credentials.hpp"
#include "loveless/aws/service_client.hpp"

#include "fake_aws/fake_aws_control_plane.hpp"

namespace loveless::testing {

/// A signed client of `service` pointed at the fake (never at AWS: the
/// endpoint is set explicitly and the environment is not read), with the
/// fake's key pair unless `credentials` overrides it, and one attempt per
/// call so request counts are exact.
inline aws::ServiceClient fake_client(const FakeAwsControlPlane& fake,
                                      const aws::ServiceEndpoint& service,
                                      const std::optional<aws::Credentials>& credentials = {}) {
  aws::ServiceClientOptions options;
  options.service = service;
  options.region = fake.options().region;
  options.endpoint = fake.endpoint();
  options.credentials = aws::static_credentials(credentials.value_or(fake.credentials()));
  options.retry.max_attempts = 1;
  options.connect_timeout = std::chrono::milliseconds(2'000);
  options.read_timeout = std::chrono::milliseconds(5'000);
  options.env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  return aws::ServiceClient(std::move(options));
}

/// Fast transitions for tests: every wait in them is bounded and short.
inline FakeAwsOptions fast_fake_options() {
  FakeAwsOptions options;
  options.replacement_delay = std::chrono::milliseconds(200);
  options.lambda_update_time = std::chrono::milliseconds(200);
  options.experiment_transition_time = std::chrono::milliseconds(150);
  options.experiment_time_scale = 0.002;  // PT1M lasts 120 ms
  return options;
}

constexpr std::chrono::milliseconds kPoll{10};
constexpr std::chrono::milliseconds kWait{5'000};

}  // namespace loveless::testing
