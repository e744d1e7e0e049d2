#!/usr/bin/env bash
# What the engines' self-check costs (README, "Engines verify themselves"): for each shipped model
# and engine, `fovea segment` on the sample image with an empty verdict cache (the check runs) and
# again with the verdict cached (it is read), side by side in one run, plus the seconds the check
# itself took as recorded in its verdict; then the gradient probe through `fovea saliency`.
#   bash bench/selfcheck-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
out=$(mktemp -d)
export FOVEA_JAVA_OPTS="-Xmx8g -Dfovea.verify.cache=$cache"
./fovea models list >/dev/null 2>&1   # builds once, outside the timings
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'; }
recorded() { grep -h -l "kind=$1" "$cache"/*.properties 2>/dev/null | xargs -r grep -l "^engine=$2 " \
  | xargs -r grep -l "^model=$3$" | xargs -r grep -h '^seconds=' | tail -1 | cut -d= -f2; }
printf '%-15s %-12s %12s %12s %14s\n' MODEL ENGINE "COLD (s)" "CACHED (s)" "CHECK (s)"
for m in nuclei-dilated nuclei-unet nuclei-star; do
  for e in onnxruntime pytorch tensorflow; do
    cold=$(seconds ./fovea segment --model "$m" --engine "$e" -o "$out/p.tif")
    warm=$(seconds ./fovea segment --model "$m" --engine "$e" -o "$out/p.tif")
    printf '%-15s %-12s %12.2f %12.2f %14s\n' "$m" "$e" "$cold" "$warm" "$(recorded forward "$e" "$m")"
  done
done
echo "gradient probe (fovea saliency --method gradient on nuclei-dilated):"
printf '%-12s %12s %12s %14s\n' ENGINE "COLD (s)" "CACHED (s)" "PROBE (s)"
for e in pytorch tensorflow; do
  cold=$(seconds ./fovea saliency --method gradient --engine "$e" -o "$out/s.tif")
  warm=$(seconds ./fovea saliency --method gradient --engine "$e" -o "$out/s.tif")
  printf '%-12s %12.2f %12.2f %14s\n' "$e" "$cold" "$warm" "$(recorded gradient "$e" nuclei-dilated)"
done
