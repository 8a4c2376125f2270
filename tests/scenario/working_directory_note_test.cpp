// The runner's warning for a working directory process workers cannot see
// by path (core/scenario/src/working_directory_note.hpp).
#include "working_directory_note.hpp"

#include <catch2/catch.hpp>

using loveless::scenario::detail::hidden_working_directory_warning;

TEST_CASE("a working directory under /tmp is said to be hidden from process workers",
          "[scenario][working-directory]") {
  const auto warning = hidden_working_directory_warning("/tmp/checkout/app", {});
  REQUIRE(warning);
  CHECK_THAT(*warning, Catch::StartsWith("the working directory /tmp/checkout/app is under /tmp"));
  CHECK_THAT(*warning, Catch::Contains("s.read_only_directory(std::filesystem::current_path()"));
  CHECK(hidden_working_directory_warning("/tmp", {}));
}

TEST_CASE("a working directory outside /tmp or given to the workers is not",
          "[scenario][working-directory]") {
  CHECK_FALSE(hidden_working_directory_warning("/home/ci/app", {}));
  CHECK_FALSE(hidden_working_directory_warning("/tmpfiles/app", {}));
  CHECK_FALSE(hidden_working_directory_warning("/tmp/checkout/app", {"/tmp/checkout"}));
  CHECK_FALSE(hidden_working_directory_warning("/tmp/checkout/app", {"/tmp/checkout/app"}));
  CHECK(hidden_working_directory_warning("/tmp/checkout/app", {"/tmp/checkout/app/data"}));
}
