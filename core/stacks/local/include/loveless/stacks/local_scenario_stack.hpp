#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "loveless/scenario/scenario_stack.hpp"

namespace loveless::scenario {

/// The local stack (engine in process) on the `process` or `docker` fleet,
/// as the runner sees it (loveless::local_scenario_stack).
/// `runs_root` empty: `stacks::default_runs_root()` (`$TMPDIR/loveless-runs-<uid>`);
/// `kept_runs`: run directories kept there, this run's included (nullopt:
/// `LOVELESS_KEEP_RUNS`, else 20; docs/scenarios.md, "Run directories").
std::unique_ptr<ScenarioStack> make_local_scenario_stack(
    std::string_view platform, std::string run_id, std::filesystem::path runs_root,
    std::uint64_t seed, std::optional<std::size_t> kept_runs = std::nullopt);

}  // namespace loveless::scenario
