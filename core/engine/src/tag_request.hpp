#pragma once

#include <string>
#include <vector>

#include "tag_registry.hpp"

namespace loveless::engine {

class RequestReader;

/// The `tags` member of TagResource, CreateStateMachine or CreateActivity
/// (`[{"key": "...", "value": "..."}]`; absent: none).
///
/// Each key must be 1..128 characters and each value 0..256, both of Unicode
/// letters, digits, white space and `_ . : / = + - @` (API reference, Tag);
/// otherwise `ValidationException` naming the member AWS's way
/// ("1 validation error detected: Value '' at 'tags.1.member.key' failed to
/// satisfy constraint: Member must have length greater than or equal to 1").
/// A tag without a key or value answers the same for a null value.
/// Characters outside ASCII are all taken for letters (no Unicode tables here).
std::vector<Tag> read_tags(const RequestReader& reader);

/// The `tagKeys` member of UntagResource, each checked as a tag key.
std::vector<std::string> read_tag_keys(const RequestReader& reader);

}  // namespace loveless::engine
