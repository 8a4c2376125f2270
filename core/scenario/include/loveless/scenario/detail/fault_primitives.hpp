#pragma once

#include <set>

#include "loveless/injectors/injector.hpp"
#include "loveless/stacks/worker.hpp"

namespace loveless::scenario::detail {

/// The primitives applying `injector`'s fault takes (pause: pause and resume;
/// disposable mode: wipe-scratch and stop): what validation checks against
/// the stack's capabilities and what the stack is asked to prepare.
std::set<stacks::Primitive> primitives_needed(const injectors::InjectorSpec& injector);

}  // namespace loveless::scenario::detail
