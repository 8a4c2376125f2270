#pragma once
// Small helpers the AWS client tests share: an environment from a map, and
// the HttpError a call ends in.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "loveless/aws/credentials.hpp"
#include "loveless/aws/http_client.hpp"

namespace loveless::aws::testing {

// An EnvLookup that sees only VALUES.
inline EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

// The HttpError CALL throws; fails the test when it throws none.
inline HttpError http_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const HttpError& e) {
    return e;
  }
  FAIL("expected an HttpError");
  return {HttpError::Kind::kTransfer, ""};
}

}  // namespace loveless::aws::testing
