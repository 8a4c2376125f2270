#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::asl {

/// What a definition may use beyond what the local engine runs.
struct DefinitionOptions {
  /// Accept a distributed Map's ItemReader and ResultWriter (Amazon S3), checked for
  /// shape only. TestState needs it: it mocks what they read and write
  /// (`stateConfiguration.mapItemReaderData`, `mock.result`); executions reject them.
  bool allow_s3_item_io = false;
};

/// A validated Amazon States Language state machine definition.
///
/// Validation follows the ASL specification and the Step Functions developer
/// guide; each violation raises `InvalidDefinition` whose path is a JSON pointer
/// into the definition and whose rule names what is broken, for example
/// `/States/Work/Retry/0: States.ALL must be alone and in the last retrier` or
/// `/States/A/Next: no state named 'B'`.
///
/// Thread-safety: immutable after construction; share it through
/// `std::shared_ptr<const Definition>` between executions.
class Definition {
 public:
  /// Parses and validates JSON text. Throws `InvalidDefinition` (path `/` for
  /// text that is not JSON).
  static std::shared_ptr<const Definition> parse(std::string_view json_text);
  /// Validates an already parsed document. Throws `InvalidDefinition`.
  static std::shared_ptr<const Definition> from_json(nlohmann::json document,
                                                     DefinitionOptions options = {});

  /// The definition document as given.
  [[nodiscard]] const nlohmann::json& document() const noexcept { return document_; }
  /// Execution-level `TimeoutSeconds`, or 0 when absent.
  [[nodiscard]] std::int64_t timeout_seconds() const noexcept { return timeout_seconds_; }

 private:
  explicit Definition(nlohmann::json document);
  nlohmann::json document_;
  std::int64_t timeout_seconds_ = 0;
};

/// Validates a definition document; throws `InvalidDefinition` on the first
/// violation found, in document order. `Definition::from_json` calls it.
void validate_definition(const nlohmann::json& document, DefinitionOptions options = {});

}  // namespace loveless::asl
