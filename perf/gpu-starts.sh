#!/usr/bin/env bash
# Cold and warm starts on a lent GPU machine, run from the repository root with the bundle of
# perf/gpu-bundle.sh carried (artifacts/): the 10^9-point arm sweep on a fresh machine (no driver
# cache, empty kernel cache) and again (both warm), `gpudiff verify --backend cuda` with the kernel
# cache filling and then with every kernel read from it (the cached PTX, staged kernels included,
# must give the host's bits too), then the bench table with the defaults and JAX's figures on the
# same card (PEERS_RUNNERS=jax; GPU_SESSION_SKIP="bench peers" trims). Logs go under $OUT.
set -uo pipefail
OUT=${OUT:-gpu-out}
SKIP=${GPU_SESSION_SKIP:-}
mkdir -p "$OUT" /tmp/gd
python3 -c "import tarfile; tarfile.open('artifacts/gpudiff-gpu-bundle.tar.xz').extractall('/tmp/gd')"
G=/tmp/gd/gpudiff-bundle/gpudiff
export GPUDIFF_KERNEL_CACHE=/tmp/gpudiff-kernels
rm -rf "$GPUDIFF_KERNEL_CACHE"
step() { echo; echo "=== $* ($(date +%T))"; }
want() { [[ " $SKIP " != *" $1 "* ]]; }
{
step devices; nvidia-smi -L
for start in cold warm; do
    step "sweep 10^9 points, $start start"
    /usr/bin/time -f "process wall %e s" env COLUMNS=200 timeout 120 "$G" sweep --points 1000000000 --seed 1 --backend cuda \
        | grep -E 'wall|throughput|after|first batch|Jacobians [0-9.]+ s|statistics [0-9.]+ s|manipulability sqrt|non-finite'
    echo "kernel cache entries: $(ls "$GPUDIFF_KERNEL_CACHE" 2>/dev/null | wc -l)"
done
for pass in "filling the kernel cache" "every kernel from the cache"; do
    step "verify, $pass"
    /usr/bin/time -f "process wall %e s" timeout 200 "$G" verify --backend cuda --points 4096 --seed 27 | grep -v ' identical ('
    echo "kernel cache entries: $(ls "$GPUDIFF_KERNEL_CACHE" | wc -l)"
done
if want bench; then
    step bench cuda, defaults
    GPUDIFF_BENCH_DENSE_DUAL=0 GPUDIFF_BENCH_ONLY="${BENCH_ONLY:-W1 ,W2 Rosenbrock,W2-8-elements,W2-64-elements,W3 ,W4 ,W5}" timeout 150 "$G" bench --backend cuda --json "$OUT/bench-cuda.json"
fi
if want peers; then step peers; PEERS_RUNNERS=${PEERS_RUNNERS:-jax} PYTHONUNBUFFERED=1 timeout 200 python3 perf/peers.py; fi
step done
} 2>&1 | tee "$OUT/gpu-starts.log"
