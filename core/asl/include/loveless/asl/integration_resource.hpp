#pragma once

#include <optional>
#include <string_view>

namespace loveless::asl {

/// A Task's service integration Resource,
/// `arn:<partition>:states:::<service>:<action>[<suffix>]`
/// (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html):
/// `arn:aws:states:::lambda:invoke.waitForTaskToken` is service `lambda`,
/// action `invoke`, suffix `.waitForTaskToken`, rest
/// `lambda:invoke.waitForTaskToken`. Views into the parsed string.
struct IntegrationResource {
  std::string_view partition;
  /// Everything after `:::`; never empty.
  std::string_view rest;
  /// Letters, digits and '-' up to the first ':' of `rest`; empty when `rest`
  /// has no such prefix.
  std::string_view service;
  /// The letters and digits after `<service>:`; empty when there are none.
  std::string_view action;
  /// What follows the action: "", `.sync`, `.sync:2`, `.waitForTaskToken`, ...
  std::string_view suffix;
};

/// Parses `resource` as a service integration ARN; nullopt for anything else
/// (an activity or Lambda function ARN, a partition that is not lower-case
/// letters and '-', nothing after `:::`). Linear in the length, no
/// recursion: a Resource of any size is safe to parse.
std::optional<IntegrationResource> parse_integration_resource(std::string_view resource);

}  // namespace loveless::asl
