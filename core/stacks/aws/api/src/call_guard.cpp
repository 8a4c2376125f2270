#include "loveless/aws_api/call_guard.hpp"

#include <utility>

namespace loveless::aws_api {

AwsCallGuard::AwsCallGuard(std::vector<std::string> allowed, bool dry_run, std::ostream* log)
    : allowed_(std::make_move_iterator(allowed.begin()), std::make_move_iterator(allowed.end())),
      dry_run_(dry_run),
      log_(log) {}

bool AwsCallGuard::allows(const std::string& arn) const { return allowed_.count(arn) > 0; }

bool AwsCallGuard::permit(const MutatingCall& call) {
  // Checked before anything else so that a typo in a binding can never reach
  // a resource of someone else's, dry run or not.
  if (!allows(call.bound_resource)) {
    throw ResourceNotAllowed(
        call.service + ":" + call.operation + " on " + call.target + " refused: " +
        (call.bound_resource.empty() ? std::string("(no bound resource)") : call.bound_resource) +
        " is not in this run's allow-list; add it to the scenario's AWS "
        "bindings to let the run touch it");
  }
  std::lock_guard lock(mutex_);
  if (log_ != nullptr) *log_ << describe_call(dry_run_ ? "DRY-RUN" : "AWS", call) << '\n';
  calls_.push_back(call);
  return !dry_run_;
}

std::vector<MutatingCall> AwsCallGuard::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::string describe_call(const std::string& prefix, const MutatingCall& call) {
  // nlohmann::json keeps object keys sorted, so the line is the same on every
  // run for the same request: the dry run's output is approval-tested.
  return prefix + " " + call.service + ":" + call.operation + " " + call.target + " " +
         call.request.dump();
}

}  // namespace loveless::aws_api
