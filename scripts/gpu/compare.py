"""Writes docs/performance.md from the results of scripts/gpu/bench.sh (this project and the Python reference,
same machine, same session).

Usage: python3 scripts/gpu/compare.py RESULTS_DIR [docs/performance.md]
RESULTS_DIR is bench.sh's bench-results.tgz unpacked: model_{fp32,bf16-ssl-fp32,bf16}.json, reference.json,
tokenize.txt and tokenize_shuffled.txt (+ their _gpu_util.csv), train_{32,tf32,bf16-mixed}.txt and gpu.txt, as bench.sh writes them.
An optional RESULTS_DIR/notes.md, written by hand, is appended to the page: put the run's notes there, followed by the
hand-written sections of the page being replaced (everything from its first "## Notes on this run"), which this
script does not keep by itself.
"""
import datetime
import json
import os
import re
import sys

results = sys.argv[1]
target = sys.argv[2] if len(sys.argv) > 2 else "docs/performance.md"


def load(name):
    path = os.path.join(results, name)
    return json.load(open(path)) if os.path.exists(path) else {}


def text(name):
    path = os.path.join(results, name)
    return open(path).read() if os.path.exists(path) else ""


ref = load("reference.json")
ours = {p: load(f"model_{p}.json") for p in ("fp32", "bf16-ssl-fp32", "bf16")}
gpu = text("gpu.txt").strip().splitlines()
machine = f"{gpu[0]}, PyTorch {gpu[1]}" if len(gpu) > 1 else ref.get("device", "?")

rows = []


def row(figure, reference, value, unit, lower_is_better, note=""):
    if reference is None or value is None:
        ratio = ""
    else:
        ratio = f"{(reference / value if lower_is_better else value / reference):.2f}x"
    fmt = (lambda v: "" if v is None else f"{v:,.1f}" if v >= 100 else f"{v:.2f}")
    rows.append(f"| {figure} | {fmt(reference)} | {fmt(value)} | {unit} | {ratio} | {note} |")


ms = lambda d, k: None if k not in d else d[k] * 1000
for precision, note in (("bf16-ssl-fp32", "default on CUDA (the reference's own split: WavLM fp32, branches bf16)"),
                        ("bf16", "everything bf16"), ("fp32", "float32, TF32 off")):
    d = ours[precision]
    if not d:
        continue
    row(f"encode 10 s, batch 1 [{precision}]", ms(ref, "encode_10s_batch1_s"), ms(d, "encode_10s_batch1_s"), "ms", True, note)
    row(f"decode 10 s [{precision}]", ms(ref, "decode_10s_batch1_s"), ms(d, "decode_10s_batch1_s"), "ms", True)
    row(f"Vocos on that mel [{precision}]", ms(ref, "vocos_10s_batch1_s"), ms(d, "vocos_10s_batch1_s"), "ms", True)
    for b in (16, 64):
        key = f"tokenize_batch{b}_audio_hours_per_hour"
        row(f"bulk pass {b} x 10 s (SSL + content + global) [{precision}]", ref.get(key), d.get(key), "audio-h/h", False,
            f"{d.get(f'tokenize_batch{b}_tflop_per_s', 0):.0f} TFLOP/s of matrix work")

def tokenize_row(name, label):
    """The end-to-end row of one bench tokenize run: its throughput and the GPU's utilisation while it tokenized."""
    m = re.search(r"throughput\s+([\d.]+) audio-hours per hour", text(f"{name}.txt"))
    if not m:
        return
    util = ""
    csv = os.path.join(results, f"{name}_gpu_util.csv")
    if os.path.exists(csv):
        values = [float(line.split(",")[0]) for line in open(csv) if line.strip()]
        # The samples span corpus writing and model loading too; the tokenizing window runs from the first busy
        # stretch (2 s above 50%) to the last busy sample.
        starts = [i for i in range(len(values) - 8) if min(values[i:i + 8]) >= 50]
        busy = [i for i, v in enumerate(values) if v >= 50]
        window = values[starts[0]:busy[-1] + 1] if starts else values
        util = (f"GPU utilisation {sum(window) / len(window):.0f}% mean while tokenizing "
                f"({sum(values) / len(values):.0f}% over the whole run, corpus writing and model load included)")
    row(f"tokenize end to end: WAV files on disk to Parquet, {label} [bf16]", ref.get("tokenize_batch64_audio_hours_per_hour"),
        float(m.group(1)), "audio-h/h", False, "reference column: its pure-model batch-64 figure; " + util)


for precision in ("bf16-ssl-fp32", "bf16"):
    d = ours[precision]
    for what in ("encode", "decode"):
        if f"{what}_new_length_batch1_s" in d:
            row(f"{what} 10 s at a length not met before, batch 1 [{precision}]", None, ms(d, f"{what}_new_length_batch1_s"), "ms", True,
                "first call per shape: the GPU libraries plan kernels per shape; the reference was not timed on this")
tokenize_row("tokenize", "manifest in corpus order")
tokenize_row("tokenize_shuffled", "manifest shuffled")
tokenize = text("tokenize.txt")

for precision in ("32", "tf32", "bf16-mixed"):
    t = text(f"train_{precision}.txt")
    m = re.search(r"([\d.]+) samples/s, peak ([\d.]+) GiB", t)
    if m:
        row(f"pretraining step, batch 16 x 5.76 s [{precision}]", ref.get("train_samples_per_s"), float(m.group(1)), "samples/s", False,
            f"peak {float(m.group(2)):.2f} GiB (nvidia-smi, reserved) vs reference {ref.get('train_peak_mem_gib', 0):.2f} GiB (allocated)")

t = text("train_gan_bf16-mixed.txt")
m = re.search(r"([\d.]+) samples/s, peak ([\d.]+) GiB", t)
if m:
    row("GAN post-training step, batch 16 x 5.76 s [bf16-mixed]", None, float(m.group(1)), "samples/s", False,
        f"peak {float(m.group(2)):.2f} GiB; the reference was not timed on this step")
phases = [(p, re.search(r"phases \(ms/step[^)]*\): (.*)", text(f"train_{p}.txt"))) for p in ("32", "tf32", "bf16-mixed")]
phases = [f"| {p} | {m.group(1).strip()} |" for p, m in phases if m]

# Where a bulk batch's time goes (bench model's breakdown of its largest batch), per precision.
breakdown = []
for precision in ("bf16", "bf16-ssl-fp32"):
    d = ours[precision]
    keys = [k for k in d if (k.startswith("stage_batch") or k.startswith("encode_batch")) and k.endswith("_s")]
    for k in keys:
        hours = d.get(k[:-2] + "_audio_hours_per_hour")
        breakdown.append(f"| {precision} | {k[:-2]} | {d[k] * 1000:.1f} | {'' if hours is None else f'{hours:,.0f}'} |")
stages = re.search(r"stages\s+(.*)", tokenize)

flops = next((d["encode_gflop_per_audio_second"] for d in ours.values() if d), None)
with open(target, "w") as f:
    f.write(f"""# Performance

Measured with `scripts/gpu/bench.sh` on {machine}, {datetime.date.today().isoformat()}; this page is written by
`scripts/gpu/compare.py` from that run's results. The reference is kanade-tokenizer at its published commit run by
the shared `bench_ref.py` in the same session on the same GPU (bf16 autocast as its `encode` uses it, SDPA, no
FlashAttention). Both use the full-size 12hz architecture with random weights (speed does not depend on them).

| figure | reference | this project | unit | ratio (>1: faster) | note |
| --- | --- | --- | --- | --- | --- |
""")
    f.write("\n".join(rows) + "\n")
    if flops:
        f.write(f"\nEncode arithmetic (matrix products and convolutions): {flops:.1f} GFLOP per second of audio; at the "
                "773 TFLOP/s of dense bf16 matrix work measured on an H100 (the H200 has the same chip), MFU = (TFLOP/s column) / 773.\n")
    if breakdown:
        f.write("\n## Where the bulk pass goes\n\n`kanade bench model` times the stages of its largest batch (64 x 10 s) apart, "
                "and `EncodeBatch` as `kanade tokenize` calls it (CPU waveforms in, tokens back): equal lengths, a "
                "length-bucketed batch (9.5-10.5 s) and a ragged one (5-15 s), from pageable and from pinned memory, and ragged "
                "batches each at a length not met before (`ragged_new_lengths`: first calls, the GPU libraries planning kernels).\n\n"
                "| precision | measurement | ms | audio-h/h |\n| --- | --- | --- | --- |\n")
        f.write("\n".join(breakdown) + "\n")
    if phases:
        f.write("\n## Where a training step goes\n\n`kanade fit --benchmark-steps` then clocks 5 steps phase by phase, draining "
                "the GPU at each boundary (ms per step; the sum exceeds the timed step, whose phases overlap).\n\n"
                "| precision | phases (ms) |\n| --- | --- |\n")
        f.write("\n".join(phases) + "\n")
    if stages:
        f.write(f"\nTokenize run, time per stage: {stages.group(1).strip()}\n")
    notes = os.path.join(results, "notes.md")
    if os.path.exists(notes):
        f.write("\n" + open(notes).read())
print(f"wrote {target}")
