#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loveless::engine {

/// Opaque `nextToken` values. A token names the listing it belongs to (`kind`,
/// e.g. "history", and `scope`, e.g. the execution ARN) and a cursor: the
/// position after the last item returned, expressed as a stable key (an event
/// id, an execution sequence number, a name) rather than an offset, so pages
/// stay consistent while items are added.
///
/// Thread-safety: pure functions.
std::string encode_page_token(std::string_view kind, std::string_view scope,
                              std::string_view cursor);

/// The cursor of `token`. Throws `ServiceError` `InvalidToken`
/// ("Invalid Token: '<token>'") when the token is garbled, too long (> 1024
/// characters) or belongs to another listing.
std::string decode_page_token(std::string_view token, std::string_view kind,
                              std::string_view scope);

/// The same for a cursor that is a number (an event id, a sequence number,
/// a position in an append-only list); InvalidToken when it is not one.
std::uint64_t decode_page_number(std::string_view token, std::string_view kind,
                                 std::string_view scope);

}  // namespace loveless::engine
