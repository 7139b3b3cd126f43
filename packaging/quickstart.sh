#!/usr/bin/env bash
# The README's two commands.
#   quickstart.sh run   install what is missing, build, launch the GUI
#   quickstart.sh test  install what is missing, build and run every test: a CUDA-enabled build (CUDA tests skip
#                       without a GPU), an HL_CUDA=OFF build, and the unit tests under ASan+UBSan
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=$(nproc)
bash packaging/setup-debian.sh

configure_and_build() {  # dir, cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; return 1; }
  grep -E "CUDA backend|HybridLens backends" "$dir.configure.log" || true
  cmake --build "$dir" -j "$jobs"
}

case "${1:-}" in
  run)
    configure_and_build build
    exec ./build/app/hybridlens "${@:2}"
    ;;
  test)
    start=$SECONDS
    echo "== build: default backends (HL_CUDA=AUTO)"
    configure_and_build build -DHL_CUDA=AUTO
    (cd build && ctest --output-on-failure -j "$jobs")
    echo "== build: CPU only (HL_CUDA=OFF)"
    configure_and_build build-nocuda -DHL_CUDA=OFF
    (cd build-nocuda && ctest --output-on-failure -j "$jobs")
    echo "== build: ASan + UBSan, unit tests"
    configure_and_build build-asan -DHL_CUDA=OFF -DHL_GUI=OFF -DHL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$jobs" -L unit)
    echo "== all test runs passed in $((SECONDS - start)) s"
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
