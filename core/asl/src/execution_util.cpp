#include "execution_util.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "loveless/asl/execution.hpp"

namespace loveless::asl {

namespace {

std::vector<std::string_view> split_colons(std::string_view text, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) break;
    parts.push_back(text.substr(0, colon));
    text.remove_prefix(colon + 1);
  }
  parts.push_back(text);
  return parts;
}

bool is_lambda_invoke(std::string_view rest) {
  return rest == "lambda:invoke" || rest == "lambda:invoke.waitForTaskToken";
}

}  // namespace

ResourceKind classify_resource(std::string_view resource) {
  // arn:<partition>:<service>:<region>:<account>:<type>:<name>; the partition
  // varies (aws, aws-cn, aws-us-gov), so it is not compared.
  const auto parts = split_colons(resource, 7);
  if (parts.size() < 6 || parts[0] != "arn") return ResourceKind::kOther;
  const std::string_view service = parts[2];
  if (service == "states") {
    if (parts[3].empty() && parts[4].empty()) {
      // Service integrations have neither region nor account.
      const std::string_view rest = resource.substr(resource.find(":::") + 3);
      return is_lambda_invoke(rest) ? ResourceKind::kLambdaInvoke : ResourceKind::kOther;
    }
    if (parts[5] == "activity" && parts.size() == 7) return ResourceKind::kActivity;
    return ResourceKind::kOther;
  }
  if (service == "lambda" && parts[5] == "function" && parts.size() == 7) {
    return ResourceKind::kLambdaArn;
  }
  return ResourceKind::kOther;
}

namespace detail {

std::string make_task_token(std::string_view execution_arn, std::uint64_t task_id,
                            RandomSource& random) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (const char c : execution_arn) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  std::array<std::uint64_t, 12> words{};
  words[0] = hash;
  words[1] = task_id;
  for (std::size_t i = 2; i < words.size(); ++i) words[i] = random.next_u64();

  std::array<unsigned char, 96> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<unsigned char>(words[i / 8] >> (8 * (i % 8)));
  }
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token;
  token.reserve(128);
  // 96 bytes are a whole number of 3-byte groups, so no padding is needed.
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t group = (static_cast<std::uint32_t>(bytes[i]) << 16U) |
                                (static_cast<std::uint32_t>(bytes[i + 1]) << 8U) |
                                static_cast<std::uint32_t>(bytes[i + 2]);
    token.push_back(kAlphabet[(group >> 18U) & 63U]);
    token.push_back(kAlphabet[(group >> 12U) & 63U]);
    token.push_back(kAlphabet[(group >> 6U) & 63U]);
    token.push_back(kAlphabet[group & 63U]);
  }
  return token;
}

ServiceResource split_service_resource(std::string_view resource) {
  const auto parts = split_colons(resource, 7);
  if (parts.size() >= 6 && parts[0] == "arn" && parts[2] == "states" && parts[3].empty() &&
      parts[4].empty()) {
    const std::string_view rest = resource.substr(resource.find(":::") + 3);
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos) {
      return {std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
    }
    return {std::string(rest), std::string(rest)};
  }
  if (parts.size() >= 3 && parts[0] == "arn") {
    const std::size_t service_end = parts[0].size() + parts[1].size() + parts[2].size() + 3;
    return {std::string(parts[2]),
            service_end < resource.size() ? std::string(resource.substr(service_end)) : ""};
  }
  return {"", std::string(resource)};
}

std::optional<std::int64_t> whole_number(const nlohmann::json& value) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.empty() || text.size() > 18) return std::nullopt;
    const std::size_t digits_from = text[0] == '-' ? 1 : 0;
    if (digits_from == text.size() ||
        text.find_first_not_of("0123456789", digits_from) != std::string::npos) {
      return std::nullopt;
    }
    return std::stoll(text);
  }
  // 2^63 and above arrive as unsigned: no long value (Jayway parses a long),
  // never wrapped to a negative one.
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<std::uint64_t>();
    if (unsigned_value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(unsigned_value);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::floor(d) == d && std::abs(d) < 9.2e18) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::string region_of_arn(std::string_view arn) {
  const auto parts = split_colons(arn, 5);
  if (parts.size() >= 4 && parts[0] == "arn" && !parts[3].empty()) return std::string(parts[3]);
  return "us-east-1";
}

}  // namespace detail
}  // namespace loveless::asl
