#!/usr/bin/env bash
# The commands of examples/my-workflow/README.md, run against this build:
#   run_example.sh BUILD_DIR EXAMPLE_DIR [CMAKE] [CTEST]
# installs BUILD_DIR into a temporary prefix, configures and builds
# EXAMPLE_DIR against it in a temporary directory, and runs its tests. Any
# step that fails fails the test; so does an example without tests.
set -euo pipefail
build_dir=$1
example_dir=$2
cmake=${3:-cmake}
ctest=${4:-ctest}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { echo "== $*"; }

step "cmake --install $build_dir --prefix $work/prefix"
"$cmake" --install "$build_dir" --prefix "$work/prefix" >"$work/install.log" || {
  cat "$work/install.log"; exit 1; }

# The example starts from its sources alone, as in a repository of its own.
cp -r "$example_dir" "$work/my-workflow"
cd "$work/my-workflow"
step "cmake -S . -B build -DCMAKE_PREFIX_PATH=$work/prefix"
"$cmake" -S . -B build -DCMAKE_PREFIX_PATH="$work/prefix"
# Loveless's warning flags are its own: none reaches the user's targets.
if grep -rl --include=flags.make --include=build.ninja -e '-Wold-style-cast' -e '-Werror' build; then
  echo "Loveless's warning flags reached the example's targets (files above)" >&2
  exit 1
fi
step "ctest --test-dir build -N (before the build)"
"$ctest" --test-dir build -N
step "cmake --build build --parallel"
"$cmake" --build build --parallel
step "ctest --test-dir build --output-on-failure"
"$ctest" --test-dir build --output-on-failure --no-tests=error
