// price-worker: the Price activity of pricing.asl.json. Stateless: every
// answer comes from the task's input alone, so a worker can be killed,
// replaced or wiped between (and during) tasks without changing an output.
//
//   price-worker price    an activity worker (AWS_ENDPOINT_URL_SFN, LOVELESS_ACTIVITY_ARN)
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>

#include <loveless/worker/worker.hpp>

namespace {

using loveless::worker::TaskContext;
using loveless::worker::TaskFailure;

/// {"order": "A-1", "lines": [{"sku": "pen", "quantity": 2, "unit_cents": 150}]}
/// -> {"order": "A-1", "total_cents": 300, "lines": 1}
nlohmann::json price(const nlohmann::json& input, TaskContext& /*context*/) {
  if (!input.contains("order") || !input.contains("lines") || !input["lines"].is_array()) {
    throw TaskFailure("Pricing.InvalidOrder", "an order needs \"order\" and \"lines\"");
  }
  std::int64_t total = 0;
  for (const auto& line : input["lines"]) {
    total += line.at("quantity").get<std::int64_t>() * line.at("unit_cents").get<std::int64_t>();
  }
  // Real work takes time: PRICE_DELAY_MS keeps a task running long enough
  // for a fault to land in the middle of it.
  if (const char* delay = std::getenv("PRICE_DELAY_MS")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(delay)));
  }
  return {{"order", input["order"]}, {"total_cents", total}, {"lines", input["lines"].size()}};
}

}  // namespace

int main(int argc, char** argv) {
  return loveless::worker::run_worker_main({{"price", price}}, argc, argv);
}
