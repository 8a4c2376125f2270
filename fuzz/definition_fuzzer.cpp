// libFuzzer target for the definition parser and validator: any input must
// either parse into a Definition or raise InvalidDefinition. Anything else
// (another exception, a crash, a sanitizer report, unbounded recursion) is a bug.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::shared_ptr<const loveless::asl::Definition> definition;
  try {
    definition = loveless::asl::Definition::parse(text);
  } catch (const loveless::asl::InvalidDefinition&) {
    return 0;
  }
  // Validity does not depend on key order: a document that parse() accepted
  // (validated in document order) must also pass from_json(), which sees the
  // keys sorted. An InvalidDefinition escaping here is a finding.
  loveless::asl::Definition::from_json(definition->document());
  return 0;
}
