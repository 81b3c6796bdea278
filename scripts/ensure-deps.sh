#!/usr/bin/env bash
# Installs what Ferry's builds and tests need and is missing on this machine:
# Debian packages (protoc, protobuf headers, nghttp2) and a git-ignored Python venv with the oracles.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

missing=()
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
[ -f /usr/include/google/protobuf/compiler/plugin.proto ] || missing+=(libprotobuf-dev)
[ -f /usr/include/nghttp2/nghttp2.h ] || missing+=(libnghttp2-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    echo "ensure-deps: installing ${missing[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

venv="$root/.venv"
requirements="$root/scripts/requirements.txt"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python3" ] || ! cmp -s "$requirements" "$stamp"; then
    echo "ensure-deps: preparing Python oracles in .venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
