#!/usr/bin/env bash
# The README's two commands.
#   quickstart.sh run   install what is missing, build, launch the GUI
#   quickstart.sh test  install what is missing, build and run every test: a CUDA-enabled build (CUDA tests skip
#                       without a GPU), an HL_CUDA=OFF build, the unit and golden tests under ASan+UBSan, and each libFuzzer
#                       target for HL_FUZZ_SECONDS (default 60)
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

# Runs ctest in a build folder, keeping its output so the totals of all runs can be printed at the end.
ctest_logs=()
run_ctest() {  # dir, ctest args...
  local dir=$1; shift
  local log="$dir.ctest.log"
  ctest_logs+=("$log")
  (cd "$dir" && ctest --output-on-failure -j "$jobs" "$@") 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

print_totals() {
  local total=0 failed=0 skipped=0 n f
  for log in "${ctest_logs[@]}"; do
    if read -r f n < <(sed -nE 's/.* tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/p' "$log"); then
      total=$((total + n)); failed=$((failed + f))
    fi
    skipped=$((skipped + $(grep -c '(Skipped)' "$log" || true)))
  done
  echo "== totals over all builds"
  echo "$((total - failed - skipped)) passed, $failed failed, $skipped skipped"
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
    run_ctest build
    echo "== build: CPU only (HL_CUDA=OFF)"
    configure_and_build build-nocuda -DHL_CUDA=OFF
    run_ctest build-nocuda
    echo "== build: ASan + UBSan, unit and golden tests"
    configure_and_build build-asan -DHL_CUDA=OFF -DHL_GUI=OFF -DHL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_ctest build-asan -L "unit|golden"
    echo "== build: libFuzzer targets (clang), ${HL_FUZZ_SECONDS:-60} s each"
    CXX=clang++ CC=clang configure_and_build build-fuzz -DHL_CUDA=OFF -DHL_GUI=OFF -DHL_FUZZ=ON \
      -DHL_FUZZ_SECONDS="${HL_FUZZ_SECONDS:-60}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    run_ctest build-fuzz -L fuzz --no-tests=ignore
    echo "== all test runs passed in $((SECONDS - start)) s"
    print_totals
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
