"""Markdown tables for the model benchmark: formatting only, the measuring is in run_models.py."""
from __future__ import annotations


def ms(seconds):
    if seconds is None:
        return "–"
    return f"{seconds * 1e3:.3g}" if seconds < 0.01 else f"{seconds * 1e3:.1f}"


def ratio(a, b):
    return "–" if a is None or b is None else f"{a / b:.2f}"


def model_table(rows, macs):
    print("| model | batch | graphspec ms | PyTorch ms | ORT ms | ours / torch | ours / ORT | graphspec GFLOP/s "
          "| % of matmul | torch layout | max abs diff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        diff = "–" if r["diff"] is None else f"{r['diff']:.1e}"
        print(f"| {r['model']} | {r['batch']} | {ms(r['ours'])} | {ms(r['torch'])} | {ms(r['ort'])} "
              f"| {ratio(r['ours'], r['torch'])} | {ratio(r['ours'], r['ort'])} | {r['gflops']:.1f} "
              f"| {r['of_matmul']:.0%} | {(r['layout'] or '–').removeprefix('torch ')} | {diff} |")
    print("\nMultiply-adds per sample: " + ", ".join(f"{k} {v / 1e6:.2f} M" for k, v in macs.items()))


def decomposeme_lines(rows, macs):
    """DecomposeMe's time over the full CNN's, beside its multiply-adds over the full CNN's."""
    by = {(r["model"], r["batch"]): r for r in rows}
    for batch in sorted({r["batch"] for r in rows}):
        full, dec = by.get(("cnn", batch)), by.get(("decomposeme", batch))
        if full and dec:
            peers = "".join(f", {name} {dec[key] / full[key]:.2f}"
                            for key, name in (("torch", "PyTorch"), ("ort", "ORT")) if full[key] and dec[key])
            print(f"DecomposeMe / full CNN at batch {batch}: time {dec['ours'] / full['ours']:.2f} (graphspec){peers}; "
                  f"multiply-adds {macs['decomposeme'] / macs['cnn']:.2f}")


def floor_table(rows, floors, batch):
    """Each model's time beside its floor (floor.py): the matrix products and gathers alone."""
    times = {r["model"]: r for r in rows if r["batch"] == batch}
    print(f"\nFloor at batch {batch}: the matrix products and embedding gathers alone, timed bare\n")
    print("| model | floor ms | graphspec ms | graphspec / floor | PyTorch ms | floor / PyTorch | floor by layer |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for key, parts in floors.items():
        floor, row = sum(parts.values()), times.get(key, {})
        layers = ", ".join(f"{name} {ms(seconds)}" for name, seconds in parts.items())
        print(f"| {key} | {ms(floor)} | {ms(row.get('ours'))} | {ratio(row.get('ours'), floor)} "
              f"| {ms(row.get('torch'))} | {ratio(floor, row.get('torch'))} | {layers} |")
    if "cnn" in floors and "decomposeme" in floors:
        print(f"\nDecomposeMe / full CNN, floors alone: {sum(floors['decomposeme'].values()) / sum(floors['cnn'].values()):.2f}")


def conv_table(best, flops, matmul_rate):
    print("\n| 3×3 conv 64→64, 32×32, batch 256, same | ms | GFLOP/s | % of matmul |\n|---|---:|---:|---:|")
    for name, seconds in best.items():
        rate = flops / seconds / 1e9
        print(f"| {name} | {ms(seconds)} | {rate:.1f} | {rate / matmul_rate:.0%} |")


def memory_table(rows):
    """rows: (model, batch, peak bytes, largest activation bytes)."""
    print("\n| model | batch | peak MB | largest activation MB | peak / largest |\n|---|---:|---:|---:|---:|")
    for key, batch, peak, largest in rows:
        print(f"| {key} | {batch} | {peak / 1e6:.2f} | {largest / 1e6:.2f} | {peak / largest:.2f} |")


def profile_table(key, batch, repeat, steps):
    total = sum(steps.values())
    print(f"\nPer-layer profile, {key} at batch {batch} (best of {repeat} per step; sum {total * 1e3:.1f} ms):\n")
    print("| step | ms | share |\n|---|---:|---:|")
    for name, seconds in steps.items():
        print(f"| {name} | {ms(seconds)} | {seconds / total:.0%} |")
