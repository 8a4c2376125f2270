#include "loveless/stacks/fleet.hpp"
#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/worker.hpp"

namespace loveless::stacks {

std::string_view to_string(WorkerState state) {
  switch (state) {
    case WorkerState::kStarting:
      return "starting";
    case WorkerState::kRunning:
      return "running";
    case WorkerState::kPaused:
      return "paused";
    case WorkerState::kDead:
      return "dead";
  }
  return "unknown";
}

std::string_view to_string(Primitive primitive) {
  switch (primitive) {
    case Primitive::kKill:
      return "kill";
    case Primitive::kStop:
      return "stop";
    case Primitive::kRestart:
      return "restart";
    case Primitive::kPause:
      return "pause";
    case Primitive::kResume:
      return "resume";
    case Primitive::kWipeScratch:
      return "wipe-scratch";
    case Primitive::kLatency:
      return "latency";
  }
  return "unknown";
}

std::string_view to_string(PoolEvent::Kind kind) {
  switch (kind) {
    case PoolEvent::Kind::kStarted:
      return "started";
    case PoolEvent::Kind::kDied:
      return "died";
    case PoolEvent::Kind::kReplaced:
      return "replaced";
    case PoolEvent::Kind::kKilled:
      return "killed";
    case PoolEvent::Kind::kStopped:
      return "stopped";
    case PoolEvent::Kind::kRestarted:
      return "restarted";
    case PoolEvent::Kind::kPaused:
      return "paused";
    case PoolEvent::Kind::kResumed:
      return "resumed";
    case PoolEvent::Kind::kScratchWiped:
      return "scratch-wiped";
    case PoolEvent::Kind::kLatencySet:
      return "latency-set";
  }
  return "unknown";
}

}  // namespace loveless::stacks
