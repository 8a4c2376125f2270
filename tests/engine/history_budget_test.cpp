#include "history_budget.hpp"

#include <catch2/catch.hpp>

using loveless::engine::HistoryBudget;

TEST_CASE("the history budget takes what fits and gives back what it took", "[engine][limits]") {
  HistoryBudget budget(100);
  CHECK(budget.try_reserve(60));
  CHECK_FALSE(budget.try_reserve(41));
  CHECK(budget.used() == 60);
  CHECK(budget.try_reserve(40));
  CHECK_FALSE(budget.try_reserve(1));
  budget.release(60);
  CHECK(budget.used() == 40);
  CHECK(budget.try_reserve(60));
  // A reservation larger than the whole budget never wraps around.
  HistoryBudget empty(10);
  CHECK_FALSE(empty.try_reserve(static_cast<std::size_t>(-1)));
  CHECK(empty.used() == 0);
}

TEST_CASE("the history budget's refusal names the limit and what to do", "[engine][limits]") {
  const HistoryBudget budget(std::size_t{3} << 29);  // 1.5 GiB
  CHECK_THAT(budget.refusal_cause(),
             Catch::StartsWith("The executions on this engine hold more than 1.5 GiB of history "
                               "payloads together") &&
                 Catch::Contains("pass references"));
  const auto automatic = loveless::engine::default_history_budget();
  CHECK(automatic >= (std::size_t{1} << 30));
  CHECK(automatic <= (std::size_t{8} << 30));
}
