#!/usr/bin/env bash
# One device session on a lent GPU machine, run from the repository root with the bundle from
# perf/gpu-bundle.sh carried (artifacts/): devices, bit-identity against the host (every API, the
# device-resident ones included), CUDA throughput with and without copies (dense-dual baseline
# left out: on W2 n=64 it runs for minutes), the resident table at 32x the points (the HBM floor
# needs a full GPU), the resident sweep's stages, the 10^9-point arm sweep with statistics on the
# device, the same sweep's figures on CUDA and the host at 10^7 points, then the peers.
# Everything is also written under $OUT (default ./gpu-out). GPU_SESSION_SKIP="verify peers" skips steps.
set -uo pipefail
OUT=${OUT:-gpu-out}
SKIP=${GPU_SESSION_SKIP:-}
mkdir -p "$OUT" /tmp/gd
python3 -c "import tarfile; tarfile.open('artifacts/gpudiff-gpu-bundle.tar.xz').extractall('/tmp/gd')"
G=/tmp/gd/gpudiff-bundle/gpudiff
step() { echo; echo "=== $* ($(date +%T))"; }
want() { [[ " $SKIP " != *" $1 "* ]]; }
{
step devices; nvidia-smi -L
if want verify; then step verify built-ins; timeout 120 "$G" verify --backend cuda --points 4096 --seed 13; fi
step bench cuda; GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="${BENCH_ONLY:-W1 ,W2 Rosenbrock,W3 ,W4 ,sweep}" timeout 120 "$G" bench --backend cuda --json "$OUT/bench-cuda.json"
if want scaled; then step bench cuda, 32x the points; GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_SCALE=32 GPUDIFF_BENCH_ONLY="W1 ,W3 " timeout 120 "$G" bench --backend cuda --json "$OUT/bench-cuda-32x.json"; fi
step sweep 10^9 points, statistics on the device; COLUMNS=200 timeout 150 "$G" sweep --points 1000000000 --seed 1 --backend cuda
step sweep 10^7 points, cuda then host; for b in cuda host; do COLUMNS=200 timeout 60 "$G" sweep --points 10000000 --seed 2 --backend $b | grep -E 'backend|throughput|manipulability|near|non-finite'; done
if want peers; then step peers; PYTHONUNBUFFERED=1 timeout 200 python3 perf/peers.py; fi
step done
} 2>&1 | tee "$OUT/gpu-session.log"
