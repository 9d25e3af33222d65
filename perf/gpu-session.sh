#!/usr/bin/env bash
# One device session on a lent GPU machine, run from the repository root with the bundle from
# perf/gpu-bundle.sh carried: devices, bit-identity (built-ins, sparse kinds, a model file),
# CUDA and host throughput, an independent read of the NPY and Parquet outputs, then the peers.
# Everything is also written under $OUT (default ./gpu-out).
set -uo pipefail
OUT=${OUT:-gpu-out}
mkdir -p "$OUT" /tmp/gd
python3 -c "import tarfile; tarfile.open('artifacts/gpudiff-gpu-bundle.tar.xz').extractall('/tmp/gd')"
G=/tmp/gd/gpudiff-bundle/gpudiff
step() { echo; echo "=== $* ($(date +%T))"; }
{
step devices; nvidia-smi -L; "$G" devices
step verify built-ins; timeout 150 "$G" verify --backend cuda --points 8192 --seed 11
step verify model file; timeout 60 "$G" verify docs/reaction.gd --backend cuda --points 8192 --seed 11
step bench cuda; GPUDIFF_BENCH_ONLY="${GPUDIFF_BENCH_ONLY_CUDA:-W1,W2,W3,W4,W5}" timeout 170 "$G" bench --backend cuda --json "$OUT/bench-cuda.json"
step bench host; GPUDIFF_BENCH_ONLY="W2,W5" timeout 100 "$G" bench --backend host --json "$OUT/bench-host.json"
step independent readers
"$G" jacobian docs/reaction.gd --random 1000 --box a=0:2,b=0:2 --seed 5 --analyse det --out "$OUT/r.json" &&
"$G" jacobian docs/reaction.gd --random 1000 --box a=0:2,b=0:2 --seed 5 --analyse det --out "$OUT/r.parquet" &&
"$G" jacobian docs/reaction.gd --random 1000 --box a=0:2,b=0:2 --seed 5 --out "$OUT/r.npy" &&
python3 - "$OUT" <<'PY'
import json, sys
import numpy as np, pyarrow.parquet as pq
out = sys.argv[1]
ref = json.load(open(f"{out}/r.json"))["points"]
table = pq.read_table(f"{out}/r.parquet").to_pydict()
npy = np.load(f"{out}/r.npy")
print("parquet columns:", list(table)[:12], "rows", len(next(iter(table.values()))))
print("npy", npy.dtype, npy.shape)
bad = 0
for i, p in enumerate(ref):
    if table["a"][i] != p["x"][0] or table["b"][i] != p["x"][1]: bad += 1
    if table["dda/da"][i] != p["jacobian"][0][0] or table["ddb/db"][i] != p["jacobian"][1][1]: bad += 1
    if npy["a"][i] != p["x"][0] or npy["ddb/da"][i] != p["jacobian"][1][0]: bad += 1
print("pyarrow and numpy vs JSON:", "identical" if bad == 0 else f"{bad} differences")
PY
step peers; PYTHONUNBUFFERED=1 timeout 200 python3 perf/peers.py
} 2>&1 | tee "$OUT/gpu-session.log"
