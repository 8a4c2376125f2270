#!/usr/bin/env bash
# Runs the examples/node-worker suite (its arguments: the suite and its
# options) from the directory it is started in, when node and the example's
# npm package are there. Otherwise prints LOVELESS-SKIP (CTest reports a
# skip), or fails under LOVELESS_REQUIRE_TOOLS=1 (CI).
set -euo pipefail
skip() {
  if [[ ${LOVELESS_REQUIRE_TOOLS:-} == 1 ]]; then
    echo "error: LOVELESS_REQUIRE_TOOLS=1 but $1" >&2
    exit 1
  fi
  echo "LOVELESS-SKIP: $1"
  exit 0
}
command -v node >/dev/null || skip "node is not installed (scripts/setup --with-test-tools)"
node --input-type=module -e 'await import("@aws-sdk/client-sfn")' 2>/dev/null ||
  skip "$PWD has no node_modules/@aws-sdk/client-sfn (scripts/setup --with-test-tools, or npm install there)"
exec "$@"
