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

--device cuda (docs/performance.md, "CUDA"): `hybridlens-cli bench --device cuda` (CUDA events, peak GPU memory)
beside transformers on the same GPU (bf16 weights and activations by default, --tf-dtype float32 for the fp32
forward; CUDA-event timing; torch.cuda.max_memory_allocated), plus the bf16 GEMM floor
2 x parameters x tokens / (bf16 matmul rate measured with torch on this GPU). --config FILE[,FILE] benchmarks
random-weight bf16 checkpoints built from real config.json files (e.g. Olmo-Hybrid-7B's), written under --ckpt-dir:

    python tools/bench/bench_engine.py --device cuda --cli build/app/hybridlens-cli --tokens 4096 \
        --config configs/olmo_hybrid_7b.json,configs/bamba_9b.json
"""
import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_hybridlens(cli, model_dir, tokens, repeats, threads, ids_path, device="cpu"):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run([cli, "bench", "--model", model_dir, "--tokens", str(tokens), "--repeats", str(repeats),
                          "--device", device, "--ids-out", ids_path], env=env, check=True, capture_output=True,
                         text=True).stdout
    ms = float(re.search(r"median ([0-9.]+) ms", out).group(1))
    return ms, out.strip()


def run_transformers(model_dir, ids_path, repeats, threads, device="cpu", dtype="float32"):
    """Median ms of one forward + log-softmax NLL; on cuda also the peak torch allocation in MiB."""
    import torch
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(threads)
    ids = [int(x) for x in open(ids_path).read().split()]
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=getattr(torch, dtype)).to(device)
    model.eval()
    x = torch.tensor([ids], device=device)

    def once():
        with torch.no_grad():
            logits = model(x, use_cache=False).logits[0]
            logp = torch.log_softmax(logits[:-1].float(), dim=-1)
            return -logp.gather(1, x[0, 1:, None])

    once()
    times = []
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
        for _ in range(repeats):
            start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            once()
            stop.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(stop))
        return statistics.median(times), torch.cuda.max_memory_allocated() / 2**20
    for _ in range(repeats):
        t0 = time.perf_counter()
        once()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), None


def bf16_gemm_floor_ms(model_dir, tokens):
    """2 x parameters x tokens at the bf16 matmul rate torch measures on this GPU (a [tokens, 4096] x [4096, 4096]
    product; the per-layer GEMMs of 7B-class models have this shape)."""
    import glob

    import torch
    from safetensors import safe_open

    params = 0
    for f in glob.glob(os.path.join(model_dir, "*.safetensors")):
        with safe_open(f, "pt") as st:
            for k in st.keys():
                params += math.prod(st.get_slice(k).get_shape())
    a = torch.randn(tokens, 4096, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(4096, 4096, device="cuda", dtype=torch.bfloat16)
    for _ in range(3):
        a @ b
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    n = 20
    start.record()
    for _ in range(n):
        a @ b
    stop.record()
    torch.cuda.synchronize()
    rate = 2.0 * tokens * 4096 * 4096 * n / (start.elapsed_time(stop) / 1e3)  # FLOP/s
    return 2.0 * params * tokens / rate * 1e3, params, rate


def make_from_config(config_path, outdir):
    """A random-weight bf16 checkpoint with the architecture of a real config.json (written once)."""
    import json

    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    name = os.path.splitext(os.path.basename(config_path))[0]
    d = os.path.join(outdir, name)
    if os.path.exists(os.path.join(d, "config.json")):
        return name
    cfg = json.load(open(config_path))
    c = AutoConfig.for_model(cfg.pop("model_type"), **cfg)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(c, dtype=torch.bfloat16)
    model.save_pretrained(d, safe_serialization=True)
    print(f"[bench] {name}: {sum(p.numel() for p in model.parameters()) / 1e9:.2f}B params -> {d}", flush=True)
    return name


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default="build/app/hybridlens-cli")
    ap.add_argument("--ckpt-dir", default=os.path.join(tempfile.gettempdir(), "hybridlens-bench"))
    ap.add_argument("--models", default="llama_120m")
    ap.add_argument("--tokens", type=int, default=1024)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--tf-dtype", default=None, help="transformers dtype (default: float32 on cpu, bfloat16 on cuda)")
    ap.add_argument("--config", default="", help="comma-separated config.json files: random-weight checkpoints "
                                                   "with these architectures (replaces --models)")
    a = ap.parse_args()
    tf_dtype = a.tf_dtype or ("bfloat16" if a.device == "cuda" else "float32")

    if a.config:
        models = [make_from_config(c, a.ckpt_dir) for c in a.config.split(",")]
    else:
        models = a.models.split(",")
        missing = [m for m in models if not os.path.exists(os.path.join(a.ckpt_dir, m, "config.json"))]
        if missing:
            subprocess.run([sys.executable, os.path.join(HERE, "..", "fixtures", "make_model_fixtures.py"),
                            "--bench", a.ckpt_dir, "--only", ",".join(missing)], check=True)
    if a.device == "cuda":
        print(f"{'model':<18} {'tokens':>6} {'hybridlens ms':>14} {'HL tok/s':>9} {'transformers ms':>16} "
              f"{'TF MiB':>8} {'speed-up':>9} {'GEMM floor ms':>14}")
    else:
        print(f"{'model':<18} {'tokens':>6} {'threads':>7} {'hybridlens ms':>14} {'transformers ms':>16} {'speed-up':>9}")
    for m in models:
        d = os.path.join(a.ckpt_dir, m)
        ids_path = os.path.join(a.ckpt_dir, f"{m}.ids")
        try:
            hl_ms, hl_out = run_hybridlens(a.cli, d, a.tokens, a.repeats, a.threads, ids_path, a.device)
        except subprocess.CalledProcessError as e:
            print(f"{m:<18} hybridlens failed: {(e.stderr or '').strip()[-400:]}", flush=True)
            continue
        try:
            tf_ms, tf_mib = run_transformers(d, ids_path, a.repeats, a.threads, a.device, tf_dtype)
        except Exception as e:  # noqa: BLE001 - report and go on with the next model
            print(f"{m:<18} transformers failed: {e}", flush=True)
            continue
        if a.device == "cuda":
            floor_ms, params, rate = bf16_gemm_floor_ms(d, a.tokens)
            print(f"{m:<18} {a.tokens:>6} {hl_ms:>14.1f} {a.tokens / hl_ms * 1e3:>9.0f} {tf_ms:>16.1f} "
                  f"{tf_mib:>8.0f} {tf_ms / hl_ms:>8.2f}x {floor_ms:>14.1f}", flush=True)
            print(f"  {params / 1e9:.2f}B parameters, bf16 matmul {rate / 1e12:.0f} TFLOP/s; hybridlens: "
                  f"{hl_out.splitlines()[-1]}", flush=True)
        else:
            print(f"{m:<18} {a.tokens:>6} {a.threads:>7} {hl_ms:>14.1f} {tf_ms:>16.1f} {tf_ms / hl_ms:>8.2f}x",
                  flush=True)


if __name__ == "__main__":
    main()
