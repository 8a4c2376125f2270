#!/bin/sh
# `loveless demo --stack docker`, end to end through the command.
# Usage: demo_stack_docker.sh <loveless> no-engine|no-image|run
#   no-engine  DOCKER_HOST names a socket nobody serves: exit 3, and the
#              message says the docker fleet needs an engine
#   no-image   an image that does not exist: exit 3, and the message says to
#              run the build with a Docker engine up
#   run        loveless/demo indexes two documents: exit 0
# Without an engine (no-image, run) or without loveless/demo (run) it prints
# `LOVELESS-SKIP: <reason>` and passes, unless LOVELESS_REQUIRE_DOCKER=1.
set -u
loveless=$1
mode=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT

skip_or_fail() {
  if [ "${LOVELESS_REQUIRE_DOCKER:-}" = 1 ]; then
    echo "LOVELESS_REQUIRE_DOCKER=1 but $1"
    exit 1
  fi
  echo "LOVELESS-SKIP: $1"
  exit 0
}

expect_exit_3() {
  # $1: what the message must say
  if [ "$status" -ne 3 ]; then
    echo "expected exit 3 (stack could not be brought up), got $status"
    exit 1
  fi
  if ! grep -q "$1" "$out"; then
    echo "the message does not say '$1'"
    exit 1
  fi
}

case "$mode" in
  no-engine)
    DOCKER_HOST=unix:///nonexistent/loveless-no-engine.sock \
      "$loveless" demo --stack docker --documents 1 >"$out" 2>&1
    status=$?
    cat "$out"
    expect_exit_3 "the docker fleet needs a Docker engine"
    ;;
  no-image)
    "$loveless" demo --stack docker --image loveless/no-such-demo-image --documents 1 >"$out" 2>&1
    status=$?
    cat "$out"
    if grep -q "needs a Docker engine" "$out"; then skip_or_fail "no Docker engine answers"; fi
    expect_exit_3 "run the build with a Docker engine up"
    ;;
  run)
    "$loveless" demo --stack docker --documents 2 >"$out" 2>&1
    status=$?
    cat "$out"
    if grep -q "needs a Docker engine" "$out"; then skip_or_fail "no Docker engine answers"; fi
    if grep -q "has no image loveless/demo" "$out"; then
      skip_or_fail "the engine has no image loveless/demo (scripts/docker-engine, then scripts/build)"
    fi
    if [ "$status" -ne 0 ]; then
      echo "expected exit 0, got $status"
      exit 1
    fi
    grep -q "2/2 outputs match a local count" "$out" || { echo "outputs do not match"; exit 1; }
    ;;
  *)
    echo "usage: demo_stack_docker.sh <loveless> no-engine|no-image|run" >&2
    exit 2
    ;;
esac
