// Which listen addresses count as loopback for the no-authentication warning
// of `loveless serve --host` and `--metrics-listen` (core/cli/bind_warning.cpp).
#include "bind_warning.hpp"

#include <catch2/catch.hpp>

using loveless::cli::is_loopback_host;
using loveless::cli::unauthenticated_bind_warning;

TEST_CASE("loopback addresses and names are recognised", "[cli]") {
  for (const char* host :
       {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"}) {
    INFO(host);
    CHECK(is_loopback_host(host));
  }
  // Addresses only: a name would be looked up, and this test asks no resolver.
  for (const char* host : {"0.0.0.0", "::", "[::]", "", "10.0.0.1", "192.168.1.5", "128.0.0.1"}) {
    INFO(host);
    CHECK_FALSE(is_loopback_host(host));
  }
}

TEST_CASE("the warning names what listens where and what to do", "[cli]") {
  CHECK_FALSE(unauthenticated_bind_warning("the engine", "127.0.0.1", "127.0.0.1:8083"));
  const auto warning = unauthenticated_bind_warning("the engine", "0.0.0.0", "0.0.0.0:8083");
  REQUIRE(warning);
  CHECK(*warning ==
        "warning: the engine listens on 0.0.0.0:8083, which is not a loopback address, and has no "
        "authentication: anyone who can reach it can use it. Listen on 127.0.0.1, or put it "
        "behind a proxy that authenticates.");
}
