#!/usr/bin/env bash
# One-time setup on a fresh machine: npm packages and the build.
# (Browser-driven test tools are added by scripts/setup-vscode.sh when the integration suites exist.)
set -euo pipefail
cd "$(dirname "$0")/.."
# The editors the language-server and debug-adapter tests drive (test/lsp/editors.test.ts, test/adapter/editors.test.ts, docs/editors.md): Neovim, Emacs + eglot.
# Installed only as root (CI: a fresh Debian 12) and only when one is missing.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
  && ! { command -v nvim && command -v emacs && dpkg -s elpa-eglot; } >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends neovim emacs-nox elpa-eglot
fi
npm ci --no-audit --no-fund
npm run build
if [ -f scripts/setup-vscode.sh ]; then bash scripts/setup-vscode.sh; fi
