"""Summarises an Nsight Systems capture exported to SQLite (scripts/gpu/profile.sh writes one).

Prints how busy the GPU was, the kernels that took the most time after the first 40% of the capture (warm-up: new
shapes, plans), the elementwise kernels by the operation they run, and the kernel sequence of one batch, so that a
cost can be traced to the line of the model that launches it.

Usage: python3 kernels.py CAPTURE.sqlite [--marker SUBSTRING]
  --marker: a kernel launched once per batch near its start (default: the first WavLM layer's float64 product).
"""
import argparse
import collections
import re
import sqlite3


def tidy(name):
    name = re.sub(r"\(anonymous namespace\)::|at::native::|<unnamed>::", "", name)
    name = re.sub(r"::\[lambda\(\) \(instance \d+\)\]::operator \(\)\(\) const", "", name)
    return re.sub(r"std::array<char \*, \(unsigned long\)\d>|TrivialOffsetCalculator<[^>]*>", "", name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("capture")
    parser.add_argument("--marker", default="gemm_f64f64")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    db = sqlite3.connect(args.capture)
    names = dict(db.execute("select id, value from StringIds"))
    rows = db.execute("select start, end, shortName, demangledName, gridX, gridY, gridZ, blockX "
                      "from CUPTI_ACTIVITY_KIND_KERNEL order by start").fetchall()
    if not rows:
        raise SystemExit("no kernels in the capture")
    first, last = rows[0][0], max(r[1] for r in rows)
    warm = first + 0.4 * (last - first)

    busy, gaps, (open_start, open_end) = 0, [], rows[0][:2]
    for start, end, *_ in rows[1:]:
        if start > open_end:
            busy += open_end - open_start
            gaps.append((start - open_end, open_end))
            open_start, open_end = start, end
        else:
            open_end = max(open_end, end)
    busy += open_end - open_start
    idle = sum(g for g, at in gaps if at > warm)
    print(f"{len(rows)} kernels over {(last - first) / 1e9:.2f} s; GPU busy {100 * busy / (last - first):.1f}%; "
          f"after the first 40%: idle {idle / 1e9:.3f} s of {(last - warm) / 1e9:.2f} s")

    steady = [r for r in rows if r[0] >= warm]
    total = sum(r[1] - r[0] for r in steady)
    by_kernel, by_op, count = collections.Counter(), collections.Counter(), collections.Counter()
    for start, end, short, full, *_ in steady:
        by_kernel[names[short]] += end - start
        if "elementwise" in names[short] or "reduce_kernel" in names[short]:
            op = tidy(names[full])
            by_op[op] += end - start
            count[op] += 1
    print(f"\nkernel time after the first 40%: {total / 1e9:.3f} s")
    for name, t in by_kernel.most_common(args.top):
        print(f"{100 * t / total:5.1f}% {t / 1e6:9.1f} ms  {name[:140]}")
    print("\nelementwise and reduction kernels by operation:")
    for op, t in by_op.most_common(args.top):
        print(f"{100 * t / total:5.1f}% {t / 1e6:9.1f} ms {count[op]:7d} calls  {op[:220]}")

    marks = [i for i, r in enumerate(rows) if r[0] >= warm and args.marker in names[r[2]]]
    starts = [marks[0]] if marks else []
    for i in marks[1:]:
        if rows[i][0] - rows[starts[-1]][0] > 5e6:    # a new batch, not the same layer's second product
            starts.append(i)
    if len(starts) < 2:
        print(f"\nno two batches found by the marker '{args.marker}'")
        return
    batch = rows[starts[0]:starts[1]]
    print(f"\none batch: {len(batch)} kernels, {sum(r[1] - r[0] for r in batch) / 1e6:.1f} ms of kernels "
          f"in {(rows[starts[1]][0] - batch[0][0]) / 1e6:.1f} ms (kernels of 10 us or more)")
    for start, end, short, full, gx, gy, gz, bx in batch:
        if end - start >= 10e3:
            print(f"{(end - start) / 1e3:8.1f} us  grid {gx}x{gy}x{gz} block {bx}  {tidy(names[full])[:200]}")


if __name__ == "__main__":
    main()
