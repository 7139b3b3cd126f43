#!/usr/bin/env python3
"""Engine benchmark: HybridLens CPU scoring vs Hugging Face transformers on the same checkpoint and token ids.

Developer script (needs torch + transformers from tools/fixtures/requirements.txt; never run by CI).

    python tools/bench/bench_engine.py --cli build/app/hybridlens-cli --models llama_120m --tokens 1024 --threads 2
    python tools/bench/bench_engine.py --models mamba2_150m,olmo_hybrid_150m --tokens 2048   # recurrent mixers

Checkpoints are the random-weight bf16 models of `make_model_fixtures.py --bench` (written to --ckpt-dir when
missing). Both sides use the same thread count and the same ids (drawn by `hybridlens-cli bench --ids-out`). The
transformers side computes what HybridLens computes: float32 forward from the bf16 weights, then log-softmax and the
NLL of every next token. Both report the median of --repeats runs after one warm-up.

Recurrent models (mamba2_150m, olmo_hybrid_150m): transformers runs its pure-PyTorch chunked paths (chunked SSD /
chunked gated delta rule; the fused CUDA/Triton kernels are not used on the CPU), called with use_cache=False so no
cache is built; HybridLens runs its chunked CPU scans. A model that fails on one side is reported and skipped.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_hybridlens(cli, model_dir, tokens, repeats, threads, ids_path):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run([cli, "bench", "--model", model_dir, "--tokens", str(tokens), "--repeats", str(repeats),
                          "--ids-out", ids_path], env=env, check=True, capture_output=True, text=True).stdout
    ms = float(re.search(r"median ([0-9.]+) ms", out).group(1))
    return ms, out.strip()


def run_transformers(model_dir, ids_path, repeats, threads):
    import torch
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(threads)
    ids = [int(x) for x in open(ids_path).read().split()]
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    model.eval()
    x = torch.tensor([ids])

    def once():
        with torch.no_grad():
            logits = model(x, use_cache=False).logits[0]
            logp = torch.log_softmax(logits[:-1].float(), dim=-1)
            return -logp.gather(1, x[0, 1:, None])

    once()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        once()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default="build/app/hybridlens-cli")
    ap.add_argument("--ckpt-dir", default=os.path.join(tempfile.gettempdir(), "hybridlens-bench"))
    ap.add_argument("--models", default="llama_120m")
    ap.add_argument("--tokens", type=int, default=1024)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()

    models = a.models.split(",")
    missing = [m for m in models if not os.path.exists(os.path.join(a.ckpt_dir, m, "config.json"))]
    if missing:
        subprocess.run([sys.executable, os.path.join(HERE, "..", "fixtures", "make_model_fixtures.py"),
                        "--bench", a.ckpt_dir, "--only", ",".join(missing)], check=True)
    print(f"{'model':<18} {'tokens':>6} {'threads':>7} {'hybridlens ms':>14} {'transformers ms':>16} {'speed-up':>9}")
    for m in models:
        d = os.path.join(a.ckpt_dir, m)
        ids_path = os.path.join(a.ckpt_dir, f"{m}.ids")
        try:
            hl_ms, _ = run_hybridlens(a.cli, d, a.tokens, a.repeats, a.threads, ids_path)
        except subprocess.CalledProcessError as e:
            print(f"{m:<18} hybridlens failed: {(e.stderr or '').strip()[-400:]}", flush=True)
            continue
        try:
            tf_ms = run_transformers(d, ids_path, a.repeats, a.threads)
        except Exception as e:  # noqa: BLE001 - report and go on with the next model
            print(f"{m:<18} transformers failed: {e}", flush=True)
            continue
        print(f"{m:<18} {a.tokens:>6} {a.threads:>7} {hl_ms:>14.1f} {tf_ms:>16.1f} {tf_ms / hl_ms:>8.2f}x", flush=True)


if __name__ == "__main__":
    main()
