#!/usr/bin/env bash
# The command-line conventions of docs/cli.md, for the `loveless` command and
# a scenario suite: --help and --version of every binary and subcommand on
# stdout with exit 0, mistakes on stderr with exit 2 and the nearest name,
# logs on stderr only, colour only on a terminal and never under NO_COLOR.
# Usage: cli_conventions_test.sh LOVELESS_BINARY SUITE_BINARY
set -uo pipefail
loveless=${1:?usage: cli_conventions_test.sh LOVELESS_BINARY SUITE_BINARY}
suite=${2:?usage: cli_conventions_test.sh LOVELESS_BINARY SUITE_BINARY}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect EXIT STREAM TEXT -- COMMAND...: runs COMMAND, checks its exit code
# and that STREAM (out or err) contains TEXT.
expect() {
  local want=$1 stream=$2 text=$3
  shift 4
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "$* exited $got, expected $want"; sed 's/^/  | /' "$work/out" "$work/err"; return
  fi
  if ! grep -qF -- "$text" "$work/$stream"; then
    fail "$*: std$stream lacks '$text'"; sed 's/^/  | /' "$work/$stream"
  fi
}

expect 0 out "Usage: loveless [OPTIONS] SUBCOMMAND" -- "$loveless" --help
expect 0 out "loveless 0." -- "$loveless" --version
for command in serve sample demo report; do
  expect 0 out "Usage: loveless $command" -- "$loveless" "$command" --help
  expect 2 err "Run 'loveless $command --help' for the options." -- \
    "$loveless" "$command" --no-such-option
done
expect 0 out "--log-level LEVEL" -- "$loveless" serve --help
expect 2 err "did you mean 'serve' instead of 'serv'?" -- "$loveless" serv
expect 2 err "did you mean --port instead of --prot?" -- "$loveless" serve --prot 1
expect 2 err "A subcommand is required" -- "$loveless"
expect 2 err "--log-level takes trace, debug, info, warn, error or off, not 'loud'" -- \
  "$loveless" serve --log-level loud
expect 2 err "report needs a JSON report" -- "$loveless" report
worker=$(dirname "$loveless")/demo-worker
expect 0 out "usage: $worker <handler>" -- "$worker" --help
expect 0 out "demo-worker (loveless 0." -- "$worker" --version
expect 2 err "unknown handler 'no-such-handler'" -- "$worker" no-such-handler
expect 0 out "Usage: $(basename "$suite") [OPTIONS]" -- "$suite" --help
expect 0 out "$(basename "$suite") (loveless 0." -- "$suite" --version
expect 2 err "did you mean --scenario instead of --senario?" -- "$suite" --senario x

# Logs: `serve` logs at info on stderr, nothing of it on stdout but the URL.
"$loveless" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 50); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid"
grep -q "received SIGTERM, shutting down" "$work/serve.err" ||
  fail "serve's log lines are not on stderr"
grep -q "\[info\]" "$work/serve.out" && fail "serve logged on stdout"
grep -q $'\x1b\\[' "$work/serve.err" && fail "serve coloured a stderr that is no terminal"

# Colour: on a terminal (script(1) gives the command one) the level is
# coloured, unless NO_COLOR is set.
if command -v script >/dev/null; then
  serve_on_tty() {
    script -qec "$loveless serve --port 0 & p=\$!; sleep 1; kill -TERM \$p; wait \$p" /dev/null
  }
  serve_on_tty >"$work/tty" 2>&1
  grep -q $'\x1b\\[' "$work/tty" || fail "no colour on a terminal"
  NO_COLOR=1 serve_on_tty >"$work/tty-nocolor" 2>&1
  grep -q $'\x1b\\[' "$work/tty-nocolor" && fail "colour on a terminal with NO_COLOR=1"
else
  echo "note: no script(1): the terminal colour checks were not run"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "every command-line convention held"
