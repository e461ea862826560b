#!/usr/bin/env bash
# One-time setup on a fresh machine: npm packages and the build.
# (Browser-driven test tools are added by scripts/setup-vscode.sh when the integration suites exist.)
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run build
if [ -f scripts/setup-vscode.sh ]; then bash scripts/setup-vscode.sh; fi
