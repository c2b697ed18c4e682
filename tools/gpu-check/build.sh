#!/usr/bin/env bash
# Builds the GPU-check bundle in .gpu-check/ (git-ignored) from the CURRENT sources:
#   bash tools/gpu-check/build.sh
# Produces .gpu-check/{run.sh,py,dist,node_modules,bin,debs,gl}. Cached heavy parts (xz of node
# and of libonnxruntime, .deb files) are rebuilt only when missing or older than their source.
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SRC/../.." && pwd)"
HERE="$ROOT/.gpu-check"
mkdir -p "$HERE"
grep -qx '/.gpu-check/' "$ROOT/.git/info/exclude" 2>/dev/null || echo '/.gpu-check/' >> "$ROOT/.git/info/exclude"
rm -rf "$HERE/py"
cp -r "$SRC/run.sh" "$SRC/py" "$SRC/README.md" "$HERE/"
PKG="$ROOT/packages/provider-local-onnx"
cd "$ROOT"

ESBUILD="$(ls -d "$ROOT"/node_modules/.pnpm/esbuild@*/node_modules/esbuild/bin/esbuild 2>/dev/null | sort -V | tail -1)"
[ -x "$ESBUILD" ] || { echo "esbuild not found under node_modules/.pnpm" >&2; exit 1; }

# 1. Worker entries: every `new URL('./<name>.js', import.meta.url)` in a src/runtime file that
#    spawns a `new Worker` (today: inference-worker), bundled beside the main bundles.
WORKERS=()
for file in $(grep -l "new Worker" "$PKG"/src/runtime/*.ts 2>/dev/null); do
  for name in $(grep -A3 "new URL(" "$file" | grep -oE "'\./[A-Za-z0-9_-]+\.js'" | tr -d "'" | sed 's#^\./##; s#\.js$##' | sort -u); do
    [ -f "$PKG/src/runtime/$name.ts" ] && WORKERS+=("$name=$PKG/src/runtime/$name.ts")
  done
done
[ ${#WORKERS[@]} -gt 0 ] || WORKERS=("inference-worker=$PKG/src/runtime/inference-worker.ts")
echo "worker entries: ${WORKERS[*]}"

rm -rf "$HERE/dist"
# @huggingface/tokenizers is a dependency of the package only: NODE_PATH lets the check scripts
# (outside the package) resolve it too.
NODE_PATH="$PKG/node_modules" "$ESBUILD" \
  "check-rerank=$SRC/src/check-rerank.ts" \
  "check-tokens=$SRC/src/check-tokens.ts" \
  "gen-model=$SRC/src/gen-model.ts" \
  "${WORKERS[@]}" \
  --bundle --platform=node --format=esm --target=node20 --keep-names \
  --conditions=@twostage/source --external:onnxruntime-node \
  --banner:js="import { createRequire as __gpuCheckCreateRequire } from 'node:module'; const require = __gpuCheckCreateRequire(import.meta.url);" \
  --outdir="$HERE/dist" --log-level=warning
ls -la "$HERE/dist"

# 2. onnxruntime-node + onnxruntime-common, real files, linux/x64 binary only, the .so xz-compressed.
ORT_SRC="$(cd "$PKG/node_modules/onnxruntime-node" && pwd -P)"
COMMON_SRC="$(cd "$ORT_SRC/../onnxruntime-common" && pwd -P)"
NM="$HERE/node_modules"
mkdir -p "$NM"
rm -rf "$NM/onnxruntime-common" "$NM/onnxruntime-node.tmp"
cp -rL "$COMMON_SRC" "$NM/onnxruntime-common"
mkdir -p "$NM/onnxruntime-node.tmp/bin/napi-v6/linux"
cp -L "$ORT_SRC/package.json" "$NM/onnxruntime-node.tmp/"
cp -rL "$ORT_SRC/dist" "$NM/onnxruntime-node.tmp/dist"
find "$NM/onnxruntime-node.tmp/dist" "$NM/onnxruntime-common" -name '*.map' -delete
mkdir -p "$NM/onnxruntime-node.tmp/bin/napi-v6/linux/x64"
cp -L "$ORT_SRC/bin/napi-v6/linux/x64/onnxruntime_binding.node" "$NM/onnxruntime-node.tmp/bin/napi-v6/linux/x64/"
SO="$ORT_SRC/bin/napi-v6/linux/x64/libonnxruntime.so.1"
SO_XZ="$NM/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1.xz"
if [ -f "$SO_XZ" ] && [ "$SO_XZ" -nt "$SO" ]; then
  cp "$SO_XZ" "$NM/onnxruntime-node.tmp/bin/napi-v6/linux/x64/"
else
  echo "compressing libonnxruntime.so.1 (about a minute)..."
  xz -9 -T2 -c "$SO" > "$NM/onnxruntime-node.tmp/bin/napi-v6/linux/x64/libonnxruntime.so.1.xz"
fi
rm -rf "$NM/onnxruntime-node"
mv "$NM/onnxruntime-node.tmp" "$NM/onnxruntime-node"

# 3. This machine's node binary, xz-compressed.
mkdir -p "$HERE/bin"
NODE_BIN="$(command -v node)"
NODE_BIN="$(readlink -f "$NODE_BIN")"
if [ ! -f "$HERE/bin/node.xz" ] || [ "$NODE_BIN" -nt "$HERE/bin/node.xz" ]; then
  echo "compressing $NODE_BIN (about a minute)..."
  xz -9 -T2 -c "$NODE_BIN" > "$HERE/bin/node.xz.tmp" && mv "$HERE/bin/node.xz.tmp" "$HERE/bin/node.xz"
fi
node --version > "$HERE/bin/node.version"

# 4. Vulkan loader (+ what NVIDIA's ICD library links against), as .deb files to unpack there.
mkdir -p "$HERE/debs"
if ! ls "$HERE"/debs/libvulkan1_*.deb > /dev/null 2>&1; then
  mkdir -p /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update > /dev/null
  (cd "$HERE/debs" && apt-get $o download libvulkan1 libglvnd0 libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0)
fi

# 5. The GL/Vulkan loader packages that the device guide's recipe unpacks into / on the GPU
#    machine (run.sh does it only where nvidia-smi exists): with them and the driver's ICD file,
#    Dawn finds the NVIDIA Vulkan device.
mkdir -p "$HERE/gl"
if ! ls "$HERE"/gl/libglx0_*.deb > /dev/null 2>&1; then
  mkdir -p /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update > /dev/null
  (cd "$HERE/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
chmod -R a+rX "$HERE"
echo "--- files:"
(cd "$HERE" && find . -path ./node_modules/onnxruntime-common -prune -o -type f -size +100k -print | sort | xargs ls -la)
echo "--- symlinks (must be none):"
find "$HERE" -type l
du -sh "$HERE"
