#pragma once
// Reading an audit (ScratchAudit, HostFileAudit) in a test: its records
// arrive from a reader thread a moment after the accesses.

#include <chrono>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

namespace loveless::testing {

/// Takes `audit`'s records until `done` holds for all taken so far, or 5 s
/// pass; returns them all.
template <typename Audit, typename Records = decltype(std::declval<Audit&>().take())>
Records collect_until(Audit& audit, const std::function<bool(const Records&)>& done) {
  Records all;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    auto batch = audit.take();
    all.insert(all.end(), batch.begin(), batch.end());
    if (done(all)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return all;
}

}  // namespace loveless::testing
