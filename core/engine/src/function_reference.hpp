#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace loveless::engine {

/// A Lambda function as an Invoke call names it: a name (`my-function`), a
/// partial ARN (`123456789012:function:my-function`) or a full ARN
/// (`arn:aws:lambda:us-east-1:123456789012:function:my-function`), each with an
/// optional `:<version or alias>` qualifier
/// (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html, FunctionName).
struct FunctionReference {
  std::string name;
  /// Empty when the reference named none.
  std::string qualifier;
  /// Empty when the reference does not say (a bare name or a partial ARN).
  std::string region;
  std::string account_id;
};

/// Parses `text` as a FunctionName; nullopt when it is none of the three forms.
std::optional<FunctionReference> parse_function_reference(std::string_view text);

/// `arn:aws:lambda:<region>:<account>:function:<name>`.
std::string function_arn(std::string_view region, std::string_view account_id,
                         std::string_view name);

/// True for a valid unqualified function name: 1..64 of `[A-Za-z0-9_-]`.
bool is_valid_function_name(std::string_view name);

}  // namespace loveless::engine
