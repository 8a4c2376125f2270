#include "arn.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "loveless/engine/service_error.hpp"

#include "limits.hpp"

namespace loveless::engine {
namespace {

std::string prefix(std::string_view region, std::string_view account_id) {
  std::string out = "arn:aws:states:";
  out.append(region).append(":").append(account_id).append(":");
  return out;
}

bool is_partition(std::string_view partition) {
  return partition == "aws" || partition == "aws-cn" || partition == "aws-us-gov";
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// 1, 2, ...: digits without a leading zero, at most 19 of them.
bool is_version_number(std::string_view text) {
  return !text.empty() && text.size() <= 19 && text.front() != '0' &&
         std::all_of(text.begin(), text.end(), is_digit);
}

}  // namespace

std::vector<std::string_view> split_fields(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::string state_machine_arn(std::string_view region, std::string_view account_id,
                              std::string_view name) {
  return prefix(region, account_id).append("stateMachine:").append(name);
}

std::string execution_arn(std::string_view region, std::string_view account_id,
                          std::string_view state_machine_name, std::string_view execution_name) {
  return prefix(region, account_id)
      .append("execution:")
      .append(state_machine_name)
      .append(":")
      .append(execution_name);
}

std::string express_execution_arn(std::string_view region, std::string_view account_id,
                                  std::string_view state_machine_name,
                                  std::string_view execution_name, std::string_view run_id) {
  return prefix(region, account_id)
      .append("express:")
      .append(state_machine_name)
      .append(":")
      .append(execution_name)
      .append(":")
      .append(run_id);
}

std::string activity_arn(std::string_view region, std::string_view account_id,
                         std::string_view name) {
  return prefix(region, account_id).append("activity:").append(name);
}

std::optional<Arn> parse_arn(std::string_view text) {
  if (text.size() > limits::kMaxArnLength) return std::nullopt;
  const auto parts = split_fields(text, ':');
  if (parts.size() < 7 || parts[0] != "arn" || !is_partition(parts[1]) || parts[2] != "states" ||
      parts[3].empty() || parts[4].empty()) {
    return std::nullopt;
  }
  Arn arn;
  arn.region = std::string(parts[3]);
  arn.account_id = std::string(parts[4]);
  arn.name = std::string(parts[6]);
  if (parts[5] == "stateMachine" && parts.size() == 7) {
    arn.type = ArnType::kStateMachine;
  } else if (parts[5] == "stateMachine" && parts.size() == 8) {
    arn.qualifier = std::string(parts[7]);
    if (is_version_number(arn.qualifier)) {
      arn.type = ArnType::kStateMachineVersion;
    } else if (is_valid_alias_name(arn.qualifier)) {
      arn.type = ArnType::kStateMachineAlias;
    } else {
      return std::nullopt;
    }
  } else if (parts[5] == "activity" && parts.size() == 7) {
    arn.type = ArnType::kActivity;
  } else if (parts[5] == "execution" && parts.size() == 8) {
    arn.type = ArnType::kExecution;
    arn.execution_name = std::string(parts[7]);
    if (!is_valid_name(arn.execution_name)) return std::nullopt;
  } else if (parts[5] == "express" && parts.size() == 9) {
    arn.type = ArnType::kExpressExecution;
    arn.execution_name = std::string(parts[7]);
    if (!is_valid_name(arn.execution_name) || parts[8].empty()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!is_valid_name(arn.name)) return std::nullopt;
  return arn;
}

std::string Arn::state_machine_arn() const {
  return engine::state_machine_arn(region, account_id, name);
}

void throw_invalid_arn(std::string_view text) {
  if (!text.starts_with("arn:")) {
    throw ServiceError("InvalidArn",
                       "Invalid Arn: 'Invalid ARN prefix: " + std::string(text) + "'");
  }
  throw ServiceError("InvalidArn", "Invalid Arn: '" + std::string(text) + "'");
}

Arn require_arn(std::string_view text, ArnType expected) {
  auto arn = parse_arn(text);
  // AWS's words for an express execution where a standard one is expected.
  if (arn && arn->type == ArnType::kExpressExecution && expected != arn->type) {
    throw ServiceError("InvalidArn",
                       "Invalid Arn: 'Resource type not valid in this context: express'");
  }
  if (!arn || arn->type != expected) throw_invalid_arn(text);
  return *arn;
}

bool is_valid_name(std::string_view name) {
  static constexpr std::string_view kForbidden = " <>{}[]?*\"#%\\^|~`$&,;:/";
  std::size_t characters = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    // UTF-8 continuation bytes do not start a character.
    if ((byte & 0xC0U) != 0x80U) ++characters;
    if (byte < 0x20U || byte == 0x7FU) return false;
    if (kForbidden.find(name[i]) != std::string_view::npos) return false;
    // U+0080..U+009F (C1 controls) and U+00A0 (no-break space) encode as C2 80..A0.
    if (byte == 0xC2U && i + 1 < name.size()) {
      const auto next = static_cast<unsigned char>(name[i + 1]);
      if (next >= 0x80U && next <= 0xA0U) return false;
    }
  }
  return characters >= 1 && characters <= limits::kMaxNameLength;
}

bool is_valid_alias_name(std::string_view name) {
  const auto allowed = [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-' || c == '.';
  };
  return !name.empty() && name.size() <= limits::kMaxNameLength &&
         std::all_of(name.begin(), name.end(), allowed) &&
         !std::all_of(name.begin(), name.end(), is_digit);
}

void require_name(std::string_view name) {
  if (!is_valid_name(name)) {
    throw ServiceError("InvalidName", "Invalid Name: '" + std::string(name) + "'");
  }
}

}  // namespace loveless::engine
