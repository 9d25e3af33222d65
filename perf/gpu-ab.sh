#!/usr/bin/env bash
# One device session that compares two settings of the environment on the same card, run from the
# repository root with the bundle of perf/gpu-bundle.sh carried (artifacts/): devices, the bench rows of AB_ROWS
# under A and B in turns (AB_ROUNDS rounds, at 1x and at AB_SCALE times the points), the rows of
# GROUP_ROWS at each group size of GROUP_SIZES and of WIDTH_ROWS at each chunk width of WIDTHS
# (both under B), Nsight Compute's view of NCU_ROWS under B, the 10^9-point arm sweep under A and
# B, then the peers. Logs and JSON rows go under $OUT.
# WIDTH_ENV sets the width rows' environment instead of B. Bit-identity (`gpudiff verify --backend
# cuda`, under B) runs last, after the timings.
# Example: AB_A="GPUDIFF_STAGED_STORES=0" AB_B="GPUDIFF_STAGED_STORES=1" bash perf/gpu-ab.sh
set -uo pipefail
OUT=${OUT:-gpu-out}
SKIP=${GPU_SESSION_SKIP:-}
A=${AB_A:?set AB_A, e.g. GPUDIFF_STAGED_STORES=0}
B=${AB_B:?set AB_B, e.g. GPUDIFF_STAGED_STORES=1}
ROWS=${AB_ROWS:-W1 ,W3 ,sweep}
ROUNDS=${AB_ROUNDS:-2}
SCALE=${AB_SCALE:-32}
mkdir -p "$OUT" /tmp/gd
python3 -c "import tarfile; tarfile.open('artifacts/gpudiff-gpu-bundle.tar.xz').extractall('/tmp/gd')"
G=/tmp/gd/gpudiff-bundle/gpudiff
step() { echo; echo "=== $* ($(date +%T))"; }
want() { [[ " $SKIP " != *" $1 "* ]]; }
rows() { grep -E '^W[0-9]|^sweep|^workload' || true; }
{
step devices; nvidia-smi -L
for round in $(seq 1 "$ROUNDS"); do
    for setting in "$A" "$B"; do
        step "round $round: $setting"
        env $setting GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="$ROWS" timeout 90 "$G" bench --backend cuda --json "$OUT/ab-$round-${setting//[^A-Za-z0-9]/_}.json" | rows
    done
done
if want scaled; then
    for setting in "$A" "$B"; do
        step "${SCALE}x the points: $setting"
        env $setting GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_SCALE="$SCALE" GPUDIFF_BENCH_ONLY="$(tr ',' '\n' <<< "$ROWS" | grep -v -e '^sweep' -e '^$' | paste -sd,)" timeout 120 "$G" bench --backend cuda | rows
    done
fi
if [ -n "${GROUP_ROWS:-}" ]; then
    for size in ${GROUP_SIZES:-32 64 128}; do
        step "group size $size: $GROUP_ROWS"
        env $B GPUDIFF_GROUP_SIZE="$size" GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="$GROUP_ROWS" timeout 90 "$G" bench --backend cuda | rows
    done
fi
if [ -n "${WIDTH_ROWS:-}" ]; then
    for width in ${WIDTHS:-4 8}; do
        step "chunk width $width: $WIDTH_ROWS"
        env ${WIDTH_ENV:-$B} GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="$WIDTH_ROWS" timeout 90 "$G" bench --backend cuda --chunk-width "$width" | rows
    done
fi
if want ncu && [ -n "${NCU_ROWS:-}" ]; then
    IFS=, read -ra NCU <<< "$NCU_ROWS"
    step "Nsight Compute ($B)"
    for row in "${NCU[@]}"; do
        echo "--- $row"
        env $B GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="$row" timeout 90 ncu --clock-control none --kernel-name regex:Kernel_Run --launch-skip 1 --launch-count 1 \
            --section SpeedOfLight --section LaunchStats --section Occupancy --section MemoryWorkloadAnalysis "$G" bench --backend cuda 2>&1 \
            | grep -E 'Duration|Throughput|Registers Per|Achieved Occupancy|Grid Size|Block Size|Shared Memory Per|Mem Busy|Max Bandwidth|Kernel_Run'
    done 2>&1 | tee "$OUT/ncu.txt"
fi
for setting in "$A" "$B"; do
    step "sweep 10^9 points: $setting"
    env $setting COLUMNS=200 timeout 120 "$G" sweep --points 1000000000 --seed 1 --backend cuda | grep -E 'throughput|manipulability|non-finite'
done
if want peers; then step peers; PYTHONUNBUFFERED=1 timeout 200 python3 perf/peers.py; fi
if want verify; then step "verify built-ins ($B)"; env $B timeout 150 "$G" verify --backend cuda --points 4096 --seed 27 | grep -v ' identical ('; fi
step done
} 2>&1 | tee "$OUT/gpu-ab.log"
