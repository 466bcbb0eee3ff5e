#!/usr/bin/env bash
# Regenerates Sources/ONNXProto/onnx.pb.swift from onnx.proto. Not run by CI or the build: the generated file is
# committed, so the package depends only on swift-protobuf's `SwiftProtobuf` library (never on its plugin).
#
# Inputs, pinned:
#   - onnx.proto from the PyPI wheel onnx==1.23.2 (onnx/onnx.proto, proto2, IR_VERSION 14), taken from
#     $FACENET_HOME/venv-runtimes when that venv has onnx 1.23.2 (scripts/setup.sh installs it), otherwise
#     fetched with `pip download onnx==1.23.2 --no-deps`; checked against the sha256 below.
#   - protoc: Debian's protobuf-compiler (3.21.12 on bookworm; `apt-get install protobuf-compiler`).
#   - protoc-gen-swift 1.39.0, built from the swift-protobuf tag the package resolves (in /tmp, its own .build).
# Usage: bash scripts/generate-onnx-proto.sh   (from anywhere; needs network only if the venv lacks onnx 1.23.2)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FACENET_HOME=${FACENET_HOME:-$HOME/.cache/facenet}
ONNX_VERSION=1.23.2
ONNX_PROTO_SHA256=547214dd049486a4d5ecbae593e9c72d90b5e8d603944b722eff469e0b5a9cc9
SWIFT_PROTOBUF_TAG=1.39.0
SWIFT_PROTOBUF_REPO=${SWIFT_PROTOBUF_REPO:-https://github.com/apple/swift-protobuf}
WORK=${WORK:-/tmp/facenet-onnx-proto}
OUT="$ROOT/Sources/ONNXProto"

mkdir -p "$WORK"
command -v protoc >/dev/null || { echo "protoc missing: apt-get install protobuf-compiler" >&2; exit 1; }

# 1. onnx.proto
PROTO="$WORK/onnx.proto"
VENV_PROTO="$FACENET_HOME/venv-runtimes/lib/python3.11/site-packages/onnx/onnx.proto"
if [ -f "$VENV_PROTO" ] && echo "$ONNX_PROTO_SHA256  $VENV_PROTO" | sha256sum -c --status; then
    cp "$VENV_PROTO" "$PROTO"
else
    python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$WORK/wheel" "onnx==$ONNX_VERSION"
    python3 -m zipfile -e "$(ls "$WORK"/wheel/onnx-"$ONNX_VERSION"-*.whl | head -1)" "$WORK/wheel/unpacked"
    cp "$WORK/wheel/unpacked/onnx/onnx.proto" "$PROTO"
fi
echo "$ONNX_PROTO_SHA256  $PROTO" | sha256sum -c --status || { echo "onnx.proto: sha256 mismatch" >&2; exit 1; }

# 2. protoc-gen-swift
PLUGIN="$WORK/swift-protobuf/.build/release/protoc-gen-swift"
if [ ! -x "$PLUGIN" ]; then
    rm -rf "$WORK/swift-protobuf"
    git clone --quiet "$SWIFT_PROTOBUF_REPO" "$WORK/swift-protobuf"
    git -C "$WORK/swift-protobuf" checkout --quiet "$SWIFT_PROTOBUF_TAG"
    (cd "$WORK/swift-protobuf" && swift build -c release --product protoc-gen-swift)
fi

# 3. generate (public types so that the Export target can use them)
protoc --plugin=protoc-gen-swift="$PLUGIN" --proto_path="$WORK" --swift_out="$OUT" \
    --swift_opt=Visibility=Public onnx.proto
echo "wrote $OUT/onnx.pb.swift ($(wc -c <"$OUT/onnx.pb.swift") bytes) from onnx $ONNX_VERSION's onnx.proto with" \
    "$(protoc --version) and protoc-gen-swift $SWIFT_PROTOBUF_TAG"
