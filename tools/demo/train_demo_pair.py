#!/usr/bin/env python3
"""Trains HybridLens' built-in demo pair: a miniature of the Ai2 seed study's Olmo Hybrid vs Olmo 3 comparison.

Both models are trained from scratch on the same token stream, in the same order, for the same number of steps, with
the same optimiser and schedule, so that the only difference is the mixer in 3 of every 4 layers:

  hybrid       olmo_hybrid  [GDN, GDN, GDN, full attention] x 2   (Gated DeltaNet, as in Olmo Hybrid 7B)
  transformer  olmo3        [SWA, SWA, SWA, full attention] x 2   (sliding-window attention, as in Olmo 3 7B)

The corpus is public-domain or permissively licensed text from Debian packages, mixing prose and code:
  bible-kjv            the King James Bible (public domain), dumped with `bible`
  python3.11-doc       the Python documentation's reStructuredText sources (PSF licence)
  libpython3.11-stdlib the standard library's top-level modules (PSF licence)
`apt-get install bible-kjv python3.11-doc` first. A byte-level BPE tokenizer (GPT-2 pre-tokenisation) is trained on
the training split with `tokenizers`.

Outputs (in --out, default resources/demo): olmo-hybrid-mini/ and olmo3-mini/ (config.json, model.safetensors in bf16,
tokenizer.json), training_log.json (loss curves, validation losses, baselines, timings, versions) and README.md.
It also writes the reference NLLs of the demo sample text, computed by transformers on the saved bf16 weights, to
--reference-out (default tests/data/demo/sample_reference.json) for the golden test of the shipped pair.

Runs on a CPU (default: 1 thread, about an hour) and uses CUDA when it is available. Deterministic for a given
device and thread count. Pinned versions: tools/demo/requirements.txt.
"""
import argparse
import glob
import json
import math
import os
import platform
import random
import subprocess
import sys
import time

import torch
import transformers
import tokenizers
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
from transformers import AutoConfig, AutoModelForCausalLM

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEED = 20261123
VOCAB = 4096
EOT = "<|endoftext|>"

# Shared by both models: 8 layers, d 192, MLP 384, untied embeddings, RoPE theta 5e5 on attention layers (the seed
# study's stage-1 checkpoints, where the published signature reproduced, used RoPE in both models).
COMMON = dict(vocab_size=VOCAB, hidden_size=192, intermediate_size=384, num_hidden_layers=8, num_attention_heads=3,
              num_key_value_heads=3, rms_norm_eps=1e-6, max_position_embeddings=4096, tie_word_embeddings=False,
              rope_parameters={"rope_type": "default", "rope_theta": 500000.0},
              pad_token_id=0, bos_token_id=0, eos_token_id=0)
HYBRID = dict(COMMON, layer_types=(["linear_attention"] * 3 + ["full_attention"]) * 2,
              linear_num_key_heads=3, linear_num_value_heads=3, linear_key_head_dim=32, linear_value_head_dim=64,
              linear_conv_kernel_dim=4, linear_allow_neg_eigval=True)
# The window is a quarter of the training context, as Olmo 3's 4096 is a half of its 8192: short enough that the
# sample text's repeated passage lies outside it in the sliding layers.
TRANSFORMER = dict(COMMON, layer_types=(["sliding_attention"] * 3 + ["full_attention"]) * 2, sliding_window=128)
# Folder names are what HybridLens shows as the model names (legend, reports).
FOLDERS = {"hybrid": "olmo-hybrid-mini", "transformer": "olmo3-mini"}


def sh(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def corpus_documents():
    """Returns [(source, name, text)] in a fixed order."""
    docs = []
    bible = sh(["bible", "-l0", "Ge1:1-Re22:21"])
    book, lines = None, []
    for line in bible.splitlines():
        if not line.strip():
            continue
        ref, _, verse = line.partition(" ")
        name = ref.rstrip("0123456789:")
        if name != book and lines:
            docs.append(("kjv", book, "\n".join(lines) + "\n"))
            lines = []
        book = name
        lines.append(verse)
    if lines:
        docs.append(("kjv", book, "\n".join(lines) + "\n"))
    for path in sorted(glob.glob("/usr/share/doc/python3.11/html/_sources/**/*.rst.txt", recursive=True)):
        with open(path, encoding="utf-8") as f:
            docs.append(("pydoc", os.path.relpath(path, "/usr/share/doc/python3.11/html/_sources"), f.read()))
    for path in sorted(glob.glob("/usr/lib/python3.11/*.py")):
        with open(path, encoding="utf-8", errors="replace") as f:
            docs.append(("stdlib", os.path.basename(path), f.read()))
    if not docs:
        sys.exit("no corpus: apt-get install bible-kjv python3.11-doc")
    return docs


def split_documents(docs):
    """Every 25th document of each source is held out, so both splits mix prose and code."""
    train, val = [], []
    counters = {}
    for d in docs:
        i = counters.get(d[0], 0)
        counters[d[0]] = i + 1
        (val if i % 25 == 12 else train).append(d)
    return train, val


def train_tokenizer(train_docs):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, special_tokens=[EOT], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator((d[2] for d in train_docs), trainer=trainer)
    return tok


def encode_stream(tok, docs):
    eot = tok.token_to_id(EOT)
    ids = []
    for enc in tok.encode_batch([d[2] for d in docs]):
        ids.extend(enc.ids)
        ids.append(eot)
    return torch.tensor(ids, dtype=torch.long)


def make_model(cfg, model_type):
    torch.manual_seed(SEED)
    return AutoModelForCausalLM.from_config(AutoConfig.for_model(model_type, **cfg), dtype=torch.float32)


def lr_at(step, steps, peak, warmup):
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))  # cosine to 10 %, as Olmo Hybrid


@torch.no_grad()
def evaluate(model, val_ids, seq, device, max_windows):
    model.eval()
    n = min(max_windows, (len(val_ids) - 1) // seq)
    total, count = 0.0, 0
    for w in range(0, n, 4):
        batch = torch.stack([val_ids[i * seq:(i + 1) * seq + 1] for i in range(w, min(n, w + 4))]).to(device)
        logits = model(batch[:, :-1]).logits.float()
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1),
                                                 reduction="sum")
        total += loss.item()
        count += batch[:, 1:].numel()
    model.train()
    return total / count


def unigram_entropy(train_ids, val_ids):
    counts = torch.bincount(train_ids, minlength=VOCAB).double() + 1.0
    logp = (counts / counts.sum()).log()
    return float(-logp[val_ids].mean())


def save_model(model, tok, out):
    os.makedirs(out, exist_ok=True)
    model.to(torch.bfloat16).save_pretrained(out, safe_serialization=True)
    gc = os.path.join(out, "generation_config.json")
    if os.path.exists(gc):
        os.remove(gc)
    tok.save(os.path.join(out, "tokenizer.json"))


@torch.no_grad()
def reference_nll(model_dir, tok, text):
    """Per-token NLL of text under the saved bf16 weights, widened to fp32 as HybridLens' CPU backend does."""
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    ids = tok.encode(text).ids
    logits = model(torch.tensor([ids])).logits[0].double()
    logp = torch.log_softmax(logits, dim=-1)
    return ids, [float(-logp[i, ids[i + 1]]) for i in range(len(ids) - 1)]


def write_readme(out, log):
    h, t = log["models"]["hybrid"], log["models"]["transformer"]
    rows = "\n".join(f"| {s} | {a:.3f} | {b:.3f} |" for s, a, b in zip(log["curve_steps"], h["train_curve"],
                                                                          t["train_curve"]))
    vrows = "\n".join(f"| {s} | {a:.3f} | {b:.3f} |" for s, a, b in zip(log["val_steps"], h["val_curve"],
                                                                          t["val_curve"]))
    text = f"""# HybridLens demo pair

A miniature of the Ai2 seed study's pair (Olmo Hybrid 7B vs Olmo 3 7B), trained from scratch by
`tools/demo/train_demo_pair.py` so that HybridLens opens on something real without a download. Both models saw the
same {log['tokens_per_step'] * log['steps']:,} tokens in the same order ({log['steps']} steps of
{log['batch']} x {log['seq']} tokens), with the same tokenizer, optimiser (AdamW, peak lr {log['lr']}, cosine to 10 %)
and seed. They differ only in the mixer of 3 of every 4 layers.

| | {FOLDERS['hybrid']}/ | {FOLDERS['transformer']}/ |
|---|---|---|
| model_type | olmo_hybrid | olmo3 |
| layers | [Gated DeltaNet x 3, full attention] x 2 | [sliding attention (window {TRANSFORMER['sliding_window']}) x 3, full attention] x 2 |
| parameters | {h['params']:,} | {t['params']:,} |
| file (bf16) | {h['bytes']:,} bytes | {t['bytes']:,} bytes |
| **validation loss** (nats/token, {log['val_tokens']:,} held-out tokens) | **{h['val_loss']:.4f}** | **{t['val_loss']:.4f}** |

Baselines on the same validation tokens: uniform over the {VOCAB:,}-token vocabulary = ln {VOCAB} =
**{log['uniform_baseline']:.4f}** nats; add-one unigram model of the training split = {log['unigram_baseline']:.4f}
nats.

Corpus (Debian 12 packages; {log['corpus']['train_documents']} training / {log['corpus']['val_documents']} held-out
documents, every 25th document of each source held out): the King James Bible (`bible-kjv`, public domain), the Python
3.11 documentation sources (`python3.11-doc`, PSF licence) and the standard library's top-level modules
(`libpython3.11-stdlib`, PSF licence). Tokenizer: byte-level BPE, {VOCAB:,} tokens, GPT-2 pre-tokenisation, trained
with `tokenizers` on the training split; `<|endoftext|>` (id 0) separates documents.

Versions: torch {log['versions']['torch']}, transformers {log['versions']['transformers']}, tokenizers
{log['versions']['tokenizers']}; device {log['device']}, {log['threads']} thread(s), {log['seconds']:.0f} s in all.
Command: `{log['command']}`.

## Training loss (mean over the previous {log['curve_every']} steps)

| step | hybrid | transformer |
|---|---|---|
{rows}

## Validation loss during training ({log['val_windows_during']} windows of {log['seq']} tokens)

| step | hybrid | transformer |
|---|---|---|
{vrows}

Everything in this folder is produced by the script; do not edit by hand.
"""
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "resources", "demo"))
    ap.add_argument("--reference-out", default=os.path.join(ROOT, "tests", "data", "demo", "sample_reference.json"))
    ap.add_argument("--sample", default=os.path.join(ROOT, "resources", "demo", "sample.txt"))
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--seq", type=int, default=512)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(SEED)
    torch.manual_seed(SEED)
    t0 = time.time()
    docs = corpus_documents()
    train_docs, val_docs = split_documents(docs)
    tok = train_tokenizer(train_docs)
    train_ids, val_ids = encode_stream(tok, train_docs), encode_stream(tok, val_docs)
    print(f"corpus: {len(train_docs)} train docs {len(train_ids):,} tokens, {len(val_docs)} val docs "
          f"{len(val_ids):,} tokens; tokenizer {time.time() - t0:.0f} s", flush=True)

    device = torch.device(args.device)
    specs = {"hybrid": (HYBRID, "olmo_hybrid"), "transformer": (TRANSFORMER, "olmo3")}
    run = {}
    for name, (cfg, mt) in specs.items():
        m = make_model(cfg, mt).to(device).train()
        decay = [p for n, p in m.named_parameters() if p.dim() >= 2 and "embed" not in n]
        other = [p for n, p in m.named_parameters() if not (p.dim() >= 2 and "embed" not in n)]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                                lr=args.lr, betas=(0.9, 0.95), eps=1e-8)
        run[name] = dict(model=m, opt=opt, curve=[], val_curve=[], acc=0.0, seconds=0.0,
                         params=sum(p.numel() for p in m.parameters()))
        print(f"{name}: {mt}, {run[name]['params']:,} parameters", flush=True)

    gen = torch.Generator().manual_seed(SEED)
    curve_every, val_every, val_windows_during = 25, 100, 16
    curve_steps, val_steps = [], []
    warmup = max(1, args.steps // 20)
    for step in range(args.steps):
        starts = torch.randint(0, len(train_ids) - args.seq - 1, (args.batch,), generator=gen)
        batch = torch.stack([train_ids[s:s + args.seq + 1] for s in starts.tolist()]).to(device)
        lr = lr_at(step, args.steps, args.lr, warmup)
        for name, r in run.items():
            ts = time.time()
            for g in r["opt"].param_groups:
                g["lr"] = lr
            out = r["model"](batch[:, :-1], labels=None)
            logits = out.logits.float()
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), batch[:, 1:].reshape(-1))
            r["opt"].zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(r["model"].parameters(), 1.0)
            r["opt"].step()
            r["acc"] += loss.item()
            r["seconds"] += time.time() - ts
        if (step + 1) % curve_every == 0:
            curve_steps.append(step + 1)
            for r in run.values():
                r["curve"].append(r["acc"] / curve_every)
                r["acc"] = 0.0
            print(f"step {step + 1}/{args.steps} lr {lr:.2e} " +
                  " ".join(f"{n} {r['curve'][-1]:.3f} ({r['seconds']:.0f} s)" for n, r in run.items()), flush=True)
        if (step + 1) % val_every == 0 or step + 1 == args.steps:
            val_steps.append(step + 1)
            for r in run.values():
                r["val_curve"].append(evaluate(r["model"], val_ids, args.seq, device, val_windows_during))

    val_windows = 128
    log = dict(command="python " + " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:]),
               steps=args.steps, batch=args.batch, seq=args.seq, lr=args.lr, tokens_per_step=args.batch * args.seq,
               threads=args.threads, device=str(device), curve_every=curve_every, curve_steps=curve_steps,
               val_steps=val_steps, val_windows_during=val_windows_during,
               val_tokens=min(val_windows, (len(val_ids) - 1) // args.seq) * args.seq,
               uniform_baseline=math.log(VOCAB), unigram_baseline=unigram_entropy(train_ids, val_ids[:val_windows * args.seq]),
               corpus=dict(train_documents=len(train_docs), val_documents=len(val_docs),
                           train_tokens=len(train_ids), val_tokens=len(val_ids)),
               versions=dict(torch=torch.__version__, transformers=transformers.__version__,
                             tokenizers=tokenizers.__version__, python=platform.python_version()),
               models={})
    with open(args.sample, encoding="utf-8") as f:
        sample = f.read()
    reference = dict(sample=os.path.relpath(args.sample, ROOT), versions=log["versions"], models={})
    for name, r in run.items():
        r["val_loss"] = evaluate(r["model"], val_ids, args.seq, device, val_windows)
        d = os.path.join(args.out, FOLDERS[name])
        save_model(r["model"].cpu(), tok, d)
        ids, nll = reference_nll(d, tok, sample)
        reference["models"][name] = dict(ids=ids, nll=nll)
        log["models"][name] = dict(params=r["params"], bytes=os.path.getsize(os.path.join(d, "model.safetensors")),
                                   val_loss=r["val_loss"], train_curve=r["curve"], val_curve=r["val_curve"],
                                   train_seconds=r["seconds"], sample_mean_nll=sum(nll) / len(nll))
        print(f"{name}: val loss {r['val_loss']:.4f}, sample mean NLL {sum(nll) / len(nll):.4f}", flush=True)
    log["seconds"] = time.time() - t0
    with open(os.path.join(args.out, "training_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    os.makedirs(os.path.dirname(args.reference_out), exist_ok=True)
    with open(args.reference_out, "w") as f:
        json.dump(reference, f)
    write_readme(args.out, log)
    print(f"done in {log['seconds']:.0f} s; uniform baseline {log['uniform_baseline']:.4f}", flush=True)


if __name__ == "__main__":
    main()
