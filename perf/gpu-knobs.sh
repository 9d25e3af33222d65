#!/usr/bin/env bash
# One device session that measures the defaults and then several settings of the environment on
# the same card, run from the repository root with the bundle of perf/gpu-bundle.sh carried
# (artifacts/). In order of what matters if time runs out: devices; bit-identity against the host
# with the defaults (`gpudiff verify --backend cuda`); the bench with the defaults (its JSON rows
# under $OUT beside the log: the two files that come back); the peers (JAX, PyTorch) on the same
# card; W2 n = 8 by blocks at each width of WIDTHS (a block as wide as the inputs is the
# triangle); KNOB_ROWS under each setting of SETTINGS (';'-separated, '-' for the defaults) in
# KNOB_ROUNDS rounds, round 2 on the first
# KNOB_SECOND settings; W1 and W3 at 32x the points under the first KNOB_SECOND settings; Nsight
# Compute on NCU_ROW under the first two settings (NCU_SETTINGS, ';'-separated, to name others);
# the 10^9-point arm sweep; then `gpudiff verify` under each of VERIFY_SETTING (';'-separated),
# the settings a new default would take. GPU_SESSION_SKIP="verify bench peers widths scaled ncu
# sweep" leaves steps out (verify: the defaults' verify only).
# Example: SETTINGS="-;GPUDIFF_PTX_MAXNREG=64;GPUDIFF_ILGPU_OPTIMIZATION=0" bash perf/gpu-knobs.sh
set -uo pipefail
OUT=${OUT:-gpu-out}
SKIP=${GPU_SESSION_SKIP:-}
IFS=';' read -ra SET <<< "${SETTINGS:--}"
ROWS=${KNOB_ROWS:-W1 ,W2 Rosenbrock n=8 ,W3 ,W4 ,W2-64-elements}
SECOND=${KNOB_SECOND:-3}
mkdir -p "$OUT" /tmp/gd
python3 -c "import tarfile; tarfile.open('artifacts/gpudiff-gpu-bundle.tar.xz').extractall('/tmp/gd')"
G=/tmp/gd/gpudiff-bundle/gpudiff
export GPUDIFF_KERNEL_CACHE=${GPUDIFF_KERNEL_CACHE:-/tmp/gpudiff-kernels}
step() { echo; echo "=== $* ($(date +%T))"; }
want() { [[ " $SKIP " != *" $1 "* ]]; }
rows() { grep -E '^W[0-9]|^sweep|^workload' || true; }
vars() { [ "$1" = "-" ] || echo "$1"; }
{
step devices; nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv,noheader
if want verify; then step verify built-ins, defaults; timeout 200 "$G" verify --backend cuda --points 4096 --seed 27 | grep -v ' identical ('; fi
if want bench; then
    step bench cuda, defaults
    GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="${BENCH_ONLY:-W1 ,W2 Rosenbrock,W2-8-elements,W2-64-elements,W3 ,W4 ,W5,sweep}" timeout 150 "$G" bench --backend cuda --json "$OUT/bench-cuda.json"
fi
if want peers; then step peers; PYTHONUNBUFFERED=1 timeout 150 python3 perf/peers.py; fi
if want widths; then
    for width in ${WIDTHS:-2 4 8}; do
        step "W2 n=8, Hessian blocks of $width"
        GPUDIFF_HESSIAN=blocks GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="W2 Rosenbrock n=8 " timeout 90 "$G" bench --backend cuda --chunk-width "$width" | rows
    done
fi
for round in $(seq 1 "${KNOB_ROUNDS:-2}"); do
    for i in "${!SET[@]}"; do
        [ "$round" -gt 1 ] && [ "$i" -ge "$SECOND" ] && continue
        setting=${SET[$i]}
        step "round $round: $setting"
        env $(vars "$setting") GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="$ROWS" timeout 120 "$G" bench --backend cuda | rows
    done
done
if want scaled; then
    for setting in "${SET[@]:0:$SECOND}"; do
        step "32x the points: $setting"
        env $(vars "$setting") GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_SCALE=32 GPUDIFF_BENCH_ONLY="W1 ,W3 " timeout 120 "$G" bench --backend cuda | rows
    done
fi
if want scaled && want peers; then
    step "W2 n=8 at 8x the points, defaults, then JAX"
    GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_SCALE=8 GPUDIFF_BENCH_ONLY="W2 Rosenbrock n=8 " timeout 90 "$G" bench --backend cuda | rows
    PEERS_SCALE=8 PEERS_ONLY="W2 Rosenbrock n=8" PEERS_RUNNERS=jax PYTHONUNBUFFERED=1 timeout 90 python3 perf/peers.py
fi
if want ncu; then
    IFS=';' read -ra NCU_SET <<< "${NCU_SETTINGS:-${SET[0]};${SET[1]:-${SET[0]}}}"
    for setting in "${NCU_SET[@]}"; do
        step "Nsight Compute, ${NCU_ROW:-W3 }: $setting"
        env $(vars "$setting") GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="${NCU_ROW:-W3 }" timeout 90 ncu --clock-control none --kernel-name regex:Kernel_Run --launch-skip 1 --launch-count 1 \
            --section SpeedOfLight --section LaunchStats --section Occupancy --section MemoryWorkloadAnalysis "$G" bench --backend cuda 2>&1 \
            | grep -E 'Duration|Throughput|Registers Per|Achieved Occupancy|Theoretical Occupancy|Block Size|Local|Mem Busy|Kernel_Run'
    done
fi
if want sweep; then step "sweep 10^9 points, defaults"; COLUMNS=200 timeout 120 "$G" sweep --points 1000000000 --seed 1 --backend cuda | grep -E 'throughput|manipulability|non-finite'; fi
IFS=';' read -ra VERIFY <<< "${VERIFY_SETTING:-}"
for setting in "${VERIFY[@]}"; do step "verify built-ins, $setting"; env $setting timeout 200 "$G" verify --backend cuda --points 4096 --seed 27 | grep -v ' identical ('; done
step done
} 2>&1 | tee "$OUT/gpu-knobs.log"
