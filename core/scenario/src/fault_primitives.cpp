#include "fault_primitives.hpp"

namespace loveless::scenario::detail {

using scenario::FaultKind;
using stacks::Primitive;

std::set<Primitive> primitives_needed(const injectors::InjectorSpec& injector) {
  if (injector.disposable) return {Primitive::kWipeScratch, Primitive::kStop};
  switch (injector.fault) {
    case FaultKind::kKill:
      return {Primitive::kKill};
    case FaultKind::kStop:
      return {Primitive::kStop};
    case FaultKind::kRestart:
      return {Primitive::kRestart};
    case FaultKind::kPause:
      return {Primitive::kPause, Primitive::kResume};
    case FaultKind::kWipeScratch:
      return {Primitive::kWipeScratch};
    case FaultKind::kLatency:
      return {Primitive::kLatency};
  }
  return {};
}

}  // namespace loveless::scenario::detail
