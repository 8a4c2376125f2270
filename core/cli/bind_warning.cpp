#include "bind_warning.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace loveless::cli {
namespace {

bool loopback_v4(const in_addr& address) { return (ntohl(address.s_addr) >> 24) == 127; }

bool loopback_v6(const in6_addr& address) {
  if (IN6_IS_ADDR_LOOPBACK(&address)) return true;
  if (!IN6_IS_ADDR_V4MAPPED(&address)) return false;
  return address.s6_addr[12] == 127;  // ::ffff:127.x.y.z
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  std::string name(host);
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);  // [::1]
  }
  if (name.empty()) return false;
  if (name == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, name.c_str(), &v4) == 1) return loopback_v4(v4);
  in6_addr v6{};
  if (::inet_pton(AF_INET6, name.c_str(), &v6) == 1) return loopback_v6(v6);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(name.c_str(), nullptr, &hints, &found) != 0) return false;
  bool loopback = found != nullptr;
  for (const auto* entry = found; entry != nullptr; entry = entry->ai_next) {
    if (entry->ai_family == AF_INET) {
      loopback =
          loopback && loopback_v4(reinterpret_cast<const sockaddr_in*>(entry->ai_addr)->sin_addr);
    } else if (entry->ai_family == AF_INET6) {
      loopback =
          loopback && loopback_v6(reinterpret_cast<const sockaddr_in6*>(entry->ai_addr)->sin6_addr);
    } else {
      loopback = false;
    }
  }
  ::freeaddrinfo(found);
  return loopback;
}

std::optional<std::string> unauthenticated_bind_warning(std::string_view what,
                                                        std::string_view host,
                                                        std::string_view address) {
  if (is_loopback_host(host)) return std::nullopt;
  return "warning: " + std::string(what) + " listens on " + std::string(address) +
         ", which is not a loopback address, and has no authentication: anyone who can reach it "
         "can use it. Listen on 127.0.0.1, or put it behind a proxy that authenticates.";
}

}  // namespace loveless::cli
