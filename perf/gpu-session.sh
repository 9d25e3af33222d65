#!/usr/bin/env bash
# One device session on a lent GPU machine, run from the repository root with the bundle from
# perf/gpu-bundle.sh carried (artifacts/): devices, bit-identity against the host (every API, the
# device-resident ones included), CUDA throughput with and without copies, the sparse rows beside
# the dense ones (dense-dual baseline left out: on W2 n=64 it runs for minutes), the same with
# ILGPU's own group size (GPUDIFF_GROUP_SIZE=auto) to compare, the resident table at 32x the
# points (the HBM floor needs a full GPU) both ways, Nsight Compute's view of the kernels of
# NCU_ROWS (default "W1 ,W3 ,W4 ,W2-64-elements"; clocks left as they are), the 10^9-point
# arm sweep with statistics on the device, the same sweep's figures on CUDA and the host at 10^7
# points, then the peers.
# Everything is also written under $OUT (default ./gpu-out). GPU_SESSION_SKIP="verify peers" skips steps.
set -uo pipefail
OUT=${OUT:-gpu-out}
SKIP=${GPU_SESSION_SKIP:-}
mkdir -p "$OUT" /tmp/gd
python3 -c "import tarfile; tarfile.open('artifacts/gpudiff-gpu-bundle.tar.xz').extractall('/tmp/gd')"
G=/tmp/gd/gpudiff-bundle/gpudiff
step() { echo; echo "=== $* ($(date +%T))"; }
want() { [[ " $SKIP " != *" $1 "* ]]; }
# One kernel launch of a bench row under Nsight Compute: $1 the row's name prefix, $2 launches to skip (the warm-up).
profile() {
    echo "--- $1"
    GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="$1" timeout 90 ncu --clock-control none --kernel-name Kernel_Run --launch-skip "$2" --launch-count 1 \
        --section SpeedOfLight --section LaunchStats --section Occupancy --section WarpStateStats --section MemoryWorkloadAnalysis \
        "$G" bench --backend cuda 2>&1 | grep -vE '^\s*$|^W[0-9]|^workload|^resident:|^==PROF==' | grep -vE 'OPT|----' | head -80
}
{
step devices; nvidia-smi -L
if want verify; then step verify built-ins; timeout 150 "$G" verify --backend cuda --points 4096 --seed 27; fi
ROWS="${BENCH_ONLY:-W1 ,W2 Rosenbrock,W2-8-elements,W2-64-elements,W3 ,W4 ,W5,sweep}"
step bench cuda; GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="$ROWS" timeout 150 "$G" bench --backend cuda --json "$OUT/bench-cuda.json"
if want auto; then step bench cuda, ILGPU group size; GPUDIFF_GROUP_SIZE=auto GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="$ROWS" timeout 150 "$G" bench --backend cuda --json "$OUT/bench-cuda-auto.json"; fi
if want scaled; then
    step bench cuda, 32x the points; GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_SCALE=32 GPUDIFF_BENCH_ONLY="W1 ,W3 " timeout 120 "$G" bench --backend cuda --json "$OUT/bench-cuda-32x.json"
    if want auto; then step bench cuda, 32x the points, ILGPU group size; GPUDIFF_GROUP_SIZE=auto GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_SCALE=32 GPUDIFF_BENCH_ONLY="W1 ,W3 " timeout 120 "$G" bench --backend cuda; fi
fi
IFS=, read -ra NCU <<< "${NCU_ROWS:-W1 ,W3 ,W4 ,W2-64-elements}"
if want ncu; then step Nsight Compute, one launch each; for row in "${NCU[@]}"; do profile "$row" 1; done 2>&1 | tee "$OUT/ncu.txt"; fi
step sweep 10^9 points, statistics on the device; COLUMNS=200 timeout 150 "$G" sweep --points 1000000000 --seed 1 --backend cuda
step sweep 10^7 points, cuda then host; for b in cuda host; do COLUMNS=200 timeout 60 "$G" sweep --points 10000000 --seed 2 --backend $b | grep -E 'backend|throughput|manipulability|near|non-finite'; done
if want peers; then step peers; PYTHONUNBUFFERED=1 timeout 200 python3 perf/peers.py; fi
step done
} 2>&1 | tee "$OUT/gpu-session.log"
