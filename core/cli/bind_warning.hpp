#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace loveless::cli {

/// True if every address `host` names is a loopback address: 127.0.0.0/8,
/// ::1, `localhost`, or a name that resolves to those alone. The wildcard
/// addresses (0.0.0.0, ::, empty) and anything that does not resolve are not.
bool is_loopback_host(std::string_view host);

/// For a server without authentication about to serve on `host`: nullopt on
/// loopback, else a warning for stderr that names `what` (e.g. "the engine"),
/// `address` (as the user gave it or as bound) and says what to do instead.
std::optional<std::string> unauthenticated_bind_warning(std::string_view what,
                                                        std::string_view host,
                                                        std::string_view address);

}  // namespace loveless::cli
