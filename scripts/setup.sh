#!/usr/bin/env bash
# One-time setup on a fresh machine: npm packages and the build.
# (Browser-driven test tools are added by scripts/setup-vscode.sh when the integration suites exist.)
set -euo pipefail
cd "$(dirname "$0")/.."
# Neovim: test/adapter/editors.test.ts drives `mmscn dap` from nvim's Lua (skipped when nvim is missing)
if [ "$(id -u)" = 0 ] && ! command -v nvim >/dev/null 2>&1; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends neovim
fi
npm ci --no-audit --no-fund
npm run build
if [ -f scripts/setup-vscode.sh ]; then bash scripts/setup-vscode.sh; fi
