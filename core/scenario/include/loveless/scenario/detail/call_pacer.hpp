#pragma once

#include <chrono>
#include <functional>

namespace loveless::scenario::detail {

/// Spaces calls at least `1 / per_second` apart (0: no spacing), so a caller
/// stays within an API's request-rate quota however much it has to read.
///
/// Thread-safety: one caller at a time.
class CallPacer {
 public:
  explicit CallPacer(double per_second);
  /// Waits for the next slot through `sleep_until` (which returns false when
  /// the caller is stopping); false when it did.
  bool wait(const std::function<bool(std::chrono::steady_clock::time_point)>& sleep_until);
  /// Waits for the next slot with `std::this_thread::sleep_until`.
  void wait();

 private:
  std::chrono::steady_clock::duration spacing_;
  std::chrono::steady_clock::time_point next_{};
};

}  // namespace loveless::scenario::detail
