#pragma once

#include <cstdint>
#include <string>

namespace loveless::engine {

/// A version 4 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`) from 128 random
/// bits, the form AWS uses for unnamed executions, express run ids and
/// state machine revision ids.
std::string random_uuid(std::uint64_t high, std::uint64_t low);

}  // namespace loveless::engine
