#!/usr/bin/env bash
# Builds a self-contained linux-x64 gpudiff (a GPU machine has the NVIDIA driver but no .NET and
# no network), packs it with the peers script and a runner, and prints how to use it.
# Usage: perf/gpu-bundle.sh [output.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
archive=$(realpath -m "${1:-artifacts/gpudiff-gpu-bundle.tar.xz}")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# ReadyToRun: ILGPU's compiler, run once a kernel, is then native code from the start; the first
# call of each kind no longer waits for the JIT (a 10^6-point sweep on PoCL: 2.5 s to 1.45 s).
dotnet publish src/GpuDiff.Cli -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
    -p:InvariantGlobalization=true -p:DebugType=embedded -o "$stage/gpudiff-bundle/bin" >&2
cp perf/peers.py "$stage/gpudiff-bundle/"
# The command is called gpudiff; the project's assembly keeps its own name.
printf '#!/bin/sh\nexec "$(dirname "$0")/bin/GpuDiff.Cli" "$@"\n' > "$stage/gpudiff-bundle/gpudiff"
chmod +x "$stage/gpudiff-bundle/gpudiff"
cat > "$stage/gpudiff-bundle/run.sh" <<'RUN'
#!/usr/bin/env bash
# On the GPU machine: bit-identity against the host, then GpuDiff's table and the peers'.
here=$(dirname "$0")
"$here/gpudiff" devices
"$here/gpudiff" verify "$@"; verified=$?
"$here/gpudiff" bench --backend all
python3 "$here/peers.py"
exit $verified
RUN
chmod +x "$stage/gpudiff-bundle/run.sh"
mkdir -p "$(dirname "$archive")"
XZ_OPT=-6T0 tar -C "$stage" -cJf "$archive" gpudiff-bundle
size=$(stat -c %s "$archive")
limit=$((64 * 1024 * 1024))
if [ "$size" -ge "$limit" ]; then
    echo "bundle is $size bytes, over the 64 MiB limit" >&2
    exit 1
fi
echo "bundle: $archive ($((size / 1024 / 1024)) MiB)"
echo "on the GPU machine:  tar -xJf $(basename "$archive") && gpudiff-bundle/run.sh"
echo "  or one at a time:  gpudiff-bundle/gpudiff verify | bench | devices;  python3 gpudiff-bundle/peers.py"
