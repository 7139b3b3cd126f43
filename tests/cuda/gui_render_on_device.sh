#!/usr/bin/env bash
# The window's CUDA path, end to end: `hybridlens --render --device cuda` loads a hybrid and two references on the
# GPU (ModelPanel's device, ScoringController on core's make_backend) and writes the slide; its headline numbers
# must match the CPU render's. Without a usable CUDA device: exit 77, which CTest reports as skipped.
#   tests/cuda/gui_render_on_device.sh HYBRIDLENS_EXE TEST_DATA_DIR OUT_DIR
set -euo pipefail
exe=$1 data=$2 out=$3
mkdir -p "$out"
models=$data/fixtures/models
args=(--model "$models/olmo_hybrid" --reference "$models/llama" --reference "$models/qwen2"
      --tokenizer "$data/tokenizers/tiny-bpe-512" --text "The quick brown fox jumps over the lazy dog. The quick brown fox.")
export QT_QPA_PLATFORM=offscreen
"$exe" --render "$out/cpu.svg" --device cpu "${args[@]}" >/dev/null
if ! "$exe" --render "$out/cuda.svg" --device cuda "${args[@]}" >/dev/null 2>"$out/cuda.err"; then
  if grep -q "no CUDA device\|no CUDA backend" "$out/cuda.err"; then
    echo "SKIPPED: $(cat "$out/cuda.err")"
    exit 77
  fi
  cat "$out/cuda.err" >&2
  exit 1
fi
# "mean Δ +0.320 nats": the hybrid against the coloured reference, then against the other one.
numbers() { grep -o '<desc>[^<]*</desc>' "$1" | grep -oE 'mean Δ [+−-]?[0-9.]+' | sed 's/mean Δ //; s/−/-/'; }
paste <(numbers "$out/cpu.svg") <(numbers "$out/cuda.svg") | tee "$out/numbers.txt"
[[ $(wc -l <"$out/numbers.txt") -eq 2 ]] || { echo "expected two mean Δ values per slide" >&2; exit 1; }
awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 0.005) { print "CPU and CUDA differ: " $0 > "/dev/stderr"; bad = 1 } }
     END { exit bad }' "$out/numbers.txt"
echo "gui render on cuda passed"
