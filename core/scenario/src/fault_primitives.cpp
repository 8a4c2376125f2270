#include "loveless/scenario/detail/fault_primitives.hpp"

namespace loveless::scenario::detail {

using history::FaultKind;
using stacks::Primitive;

std::set<Primitive> primitives_needed(const injectors::InjectorSpec& injector) {
  if (injector.disposable) return {Primitive::kWipeScratch, Primitive::kStop};
  switch (injector.fault) {
    case history::FaultKind::kKill:
      return {Primitive::kKill};
    case history::FaultKind::kStop:
      return {Primitive::kStop};
    case history::FaultKind::kRestart:
      return {Primitive::kRestart};
    case history::FaultKind::kPause:
      return {Primitive::kPause, Primitive::kResume};
    case history::FaultKind::kWipeScratch:
      return {Primitive::kWipeScratch};
    case history::FaultKind::kLatency:
      return {Primitive::kLatency};
  }
  return {};
}

}  // namespace loveless::scenario::detail
