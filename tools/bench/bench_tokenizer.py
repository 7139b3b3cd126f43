#!/usr/bin/env python3
"""Tokenizer throughput: hybridlens-cli tokenize (C++) next to the Hugging Face `tokenizers` library, same text.

usage: /opt/hlvenv/bin/python tools/bench/bench_tokenizer.py [--cli build-tok/app/hybridlens-cli]
                                                             [--tokenizer tests/data/tokenizers/qwen3] [--mb 5]

The text is ~5 MB of English prose and code made from a fixed seed (the same on every machine). Both sides encode the
whole text in one call on one thread (TOKENIZERS_PARALLELISM=false); load time is excluded on both sides (the CLI's
--repeat timing starts after loading). The script also checks that both produce the same ids.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["TOKENIZERS_PARALLELISM"] = "false"
from tokenizers import Tokenizer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which but have an they "
         "you were her all she there would their we him been has when who will more no if out so said what up its "
         "about into than them can only other new some could time these two may then do first any my now such like "
         "our over man me even most made after also did many before must through back years where much your way "
         "well down should because each just those people how too little state good very make world still own see "
         "men work long get here between both life being under never day same another know while last might us "
         "great old year off come since against go came right used take three model token hybrid transformer layer "
         "attention recurrent sequence memory compute kernel gradient batch probability distribution").split()
CODE = [
    "def {f}(x, y):\n    \"\"\"Return the {w} of x and y.\"\"\"\n    if x > y:\n        return x - y\n    return {n} * (y - x)\n\n",
    "for (int i = 0; i < {n}; ++i) {{\n    total += values[i] * {f}(i);  // {w}\n}}\n",
    "const {f} = (items) => items.filter((it) => it.{w} !== null).map((it) => it.id + {n});\n",
    "fn {f}(v: &[f32]) -> f32 {{\n    v.iter().map(|x| x * {n}.0).sum::<f32>() // {w}\n}}\n",
    "SELECT {w}, COUNT(*) FROM events WHERE id > {n} GROUP BY {w};\n",
]


def make_text(megabytes, seed=20261123):
    rng = random.Random(seed)
    parts, size = [], 0
    while size < megabytes * 1_000_000:
        if rng.random() < 0.7:
            sentences = []
            for _ in range(rng.randrange(3, 8)):
                words = [rng.choice(WORDS) for _ in range(rng.randrange(6, 20))]
                words[0] = words[0].capitalize()
                if rng.random() < 0.2:
                    words.insert(rng.randrange(len(words)), str(rng.randrange(1, 10000)))
                sentences.append(" ".join(words) + rng.choice([".", ".", ".", "?", "!", ";"]))
            p = " ".join(sentences) + "\n\n"
        else:
            p = rng.choice(CODE).format(f=rng.choice(WORDS) + "_" + rng.choice(WORDS), w=rng.choice(WORDS),
                                        n=rng.randrange(100))
        parts.append(p)
        size += len(p.encode("utf-8"))
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=str(ROOT / "build-tok" / "app" / "hybridlens-cli"))
    ap.add_argument("--tokenizer", default=str(ROOT / "tests" / "data" / "tokenizers" / "qwen3"))
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    text = make_text(args.mb)
    nbytes = len(text.encode("utf-8"))
    tok_path = Path(args.tokenizer)
    tok = Tokenizer.from_file(str(tok_path / "tokenizer.json" if tok_path.is_dir() else tok_path))
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        enc = tok.encode(text, add_special_tokens=False)
        best = min(best, time.perf_counter() - t0)
    py_mbs = nbytes / 1e6 / best

    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        cpp = []
        for _ in range(args.repeat):
            r = subprocess.run([args.cli, "tokenize", "--tokenizer", args.tokenizer, "--file", path, "--repeat", "1"],
                               capture_output=True, text=True, check=True)
            cpp.append(float(re.search(r"([0-9.]+) MB/s", r.stderr).group(1)))
        r = subprocess.run([args.cli, "tokenize", "--tokenizer", args.tokenizer, "--file", path, "--json"],
                           capture_output=True, text=True, check=True)
        same = json.loads(r.stdout)["ids"] == enc.ids
    finally:
        os.unlink(path)
    cpp_mbs = max(cpp)
    print(f"text: {nbytes / 1e6:.2f} MB, {len(enc.ids)} tokens, tokenizer {args.tokenizer}")
    print(f"C++ hybridlens-cli tokenize : {cpp_mbs:8.2f} MB/s (best of {args.repeat})")
    print(f"Python tokenizers {__import__('tokenizers').__version__:8s} : {py_mbs:8.2f} MB/s (best of {args.repeat})")
    print(f"ids identical: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
