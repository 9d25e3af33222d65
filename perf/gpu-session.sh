#!/usr/bin/env bash
# One device session on a lent GPU machine, run from the repository root with the bundle from
# perf/gpu-bundle.sh carried (artifacts/): devices, bit-identity against the host (every API, the
# device-resident ones included), CUDA throughput with and without copies, the resident table at
# 32x the points (the HBM floor needs a full GPU), the 10^9-point arm sweep with statistics on the
# device, the same sweep's figures on CUDA and the host at 10^7 points, then the peers (JAX, PyTorch).
# Everything is also written under $OUT (default ./gpu-out).
set -uo pipefail
OUT=${OUT:-gpu-out}
mkdir -p "$OUT" /tmp/gd
python3 -c "import tarfile; tarfile.open('artifacts/gpudiff-gpu-bundle.tar.xz').extractall('/tmp/gd')"
G=/tmp/gd/gpudiff-bundle/gpudiff
step() { echo; echo "=== $* ($(date +%T))"; }
{
step devices; nvidia-smi -L; "$G" devices
step verify built-ins; timeout 120 "$G" verify --backend cuda --points 8192 --seed 12
step bench cuda; GPUDIFF_BENCH_ONLY="W1 ,W2 Rosenbrock,W3 ,W4 " timeout 120 "$G" bench --backend cuda --json "$OUT/bench-cuda.json"
step bench cuda, 32x the points; GPUDIFF_BENCH_SCALE=32 GPUDIFF_BENCH_ONLY="W1 ,W3 " timeout 120 "$G" bench --backend cuda --json "$OUT/bench-cuda-32x.json"
step sweep 10^9 points, statistics on the device; COLUMNS=200 timeout 150 "$G" sweep --points 1000000000 --seed 1 --backend cuda
step sweep 10^7 points, cuda then host; for b in cuda host; do COLUMNS=200 timeout 60 "$G" sweep --points 10000000 --seed 2 --backend $b | grep -E 'backend|throughput|manipulability|near|non-finite'; done
step peers; PYTHONUNBUFFERED=1 timeout 200 python3 perf/peers.py
step done
} 2>&1 | tee "$OUT/gpu-session.log"
