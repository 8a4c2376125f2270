#pragma once

#include <string>
#include <string_view>

namespace loveless::reports {

/// `text` as XML 1.0 character data or attribute value: `&`, `<`, `>`, `"`
/// and `'` as entities; tab, newline and carriage return kept in text and
/// as character references (`&#10;`) in attributes (`attribute` true), where
/// a parser would normalise them to spaces; other control characters, which
/// XML 1.0 cannot carry at all, and bytes that are not UTF-8 become U+FFFD.
std::string xml_escape(std::string_view text, bool attribute = false);

}  // namespace loveless::reports
