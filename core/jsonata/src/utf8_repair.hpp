#pragma once

// Duktape keeps strings as JavaScript sees them, UTF-16 code units, each
// surrogate encoded on its own (CESU-8). Text leaving a heap must be UTF-8.

#include <string>
#include <string_view>

namespace loveless::jsonata::detail {

/// `text` with each surrogate pair encoded in CESU-8 (two 3-byte sequences)
/// rewritten as the 4-byte UTF-8 sequence of its code point, and each lone
/// surrogate as U+FFFD (UTF-8 has no form for it). Other bytes are copied.
std::string repair_utf8(std::string_view text);

}  // namespace loveless::jsonata::detail
