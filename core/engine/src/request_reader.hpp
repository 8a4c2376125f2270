#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// Reads the members of one API request body. A member of the wrong JSON type
/// answers `SerializationException` with AWS's message (request_shapes.hpp);
/// a value that breaks a constraint answers `ValidationException` naming the
/// member, in the style AWS uses ("1 validation error detected: Value ... at
/// 'maxResults' failed to satisfy constraint: ...").
///
/// Thread-safety: a value type over a borrowed request; one thread.
class RequestReader {
 public:
  /// Throws `SerializationException` when `request` is not a JSON object.
  explicit RequestReader(const nlohmann::json& request);

  /// A required string member; throws ValidationException when absent or not a string.
  [[nodiscard]] std::string required_string(std::string_view member) const;
  /// An optional string member (absent or null: nullopt).
  [[nodiscard]] std::optional<std::string> optional_string(std::string_view member) const;
  /// A required string whose length (in characters) lies in [min, max].
  [[nodiscard]] std::string required_string(std::string_view member, std::size_t min,
                                            std::size_t max) const;
  /// An optional string whose length, when present, lies in [min, max].
  [[nodiscard]] std::optional<std::string> optional_string(std::string_view member, std::size_t min,
                                                           std::size_t max) const;
  /// An optional integer member (a number with a fraction is truncated, as AWS does).
  [[nodiscard]] std::optional<std::int64_t> optional_int(std::string_view member) const;
  /// An optional boolean member, `fallback` when absent.
  [[nodiscard]] bool optional_bool(std::string_view member, bool fallback) const;

  /// The member `name` (any JSON type), null when absent or null.
  [[nodiscard]] const nlohmann::json* member(std::string_view name) const;
  /// The member `name` (any JSON type); ValidationException "Value null at
  /// '<name>' ... Member must not be null" when absent or null.
  [[nodiscard]] const nlohmann::json& required_member(std::string_view name) const;

  /// `maxResults` of a List* / GetExecutionHistory call: 0..1000, 0 or absent = 100.
  [[nodiscard]] std::int64_t page_size() const;
  /// `nextToken`: absent, or 1..`max_length` characters (ValidationException
  /// past it, as AWS answers before looking at the token: 1024 for most
  /// listings, 3096 for ListExecutions: the service model's PageToken shapes).
  [[nodiscard]] std::optional<std::string> next_token(std::size_t max_length = 1024) const;
  /// StartExecution's `traceHeader`: absent, or 0..256 ASCII characters
  /// (API_StartExecution: `\p{ASCII}*`); the engine keeps no traces.
  void check_trace_header() const;
  /// `encryptionConfiguration.type`, when present: AWS_OWNED_KEY or
  /// CUSTOMER_MANAGED_KMS_KEY (API_EncryptionConfiguration); the engine
  /// encrypts nothing.
  void check_encryption_configuration() const;

 private:
  const nlohmann::json& request_;
};

/// A ValidationException for a value that breaks a constraint on `member`.
[[noreturn]] void throw_constraint(std::string_view member, std::string_view value,
                                   std::string_view constraint);

/// A ValidationException ("Member must have length greater than or equal to
/// <min>" / "less than or equal to <max>") unless `value` has min..max characters.
void check_length(std::string_view member, const std::string& value, std::size_t min,
                  std::size_t max);

/// Number of characters (UTF-8 code points) in `text`.
std::size_t character_count(std::string_view text);

}  // namespace loveless::engine
