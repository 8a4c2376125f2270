#pragma once

// What the validator says about a definition text: the JSON pointer and the
// rule of its InvalidDefinition, or "(accepted)".

#include <string>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/errors.hpp"

namespace loveless::asl::testing {

struct Violation {
  std::string path;
  std::string rule;
};

inline Violation violation_of(const std::string& text) {
  try {
    Definition::parse(text);
  } catch (const InvalidDefinition& error) {
    return {error.path(), error.rule()};
  }
  return {"", "(accepted)"};
}

}  // namespace loveless::asl::testing
