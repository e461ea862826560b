#!/usr/bin/env bash
# Installs what the real-VS Code test suites (test/integration, test/e2e) need, idempotently:
#   - Debian packages: chromium (the browser Playwright drives), ripgrep (code-server's search),
#     libkrb5-dev (to build code-server's kerberos module) — only the missing ones;
#   - code-server (a real VS Code: workbench in the browser, extension host in Node) into .tools/code-server.
# npm devDependencies (playwright-core, @vscode/vsce, @vscode/test-electron) come from `npm ci` in setup.sh.
#
# Why the detours (this machine reaches only the npm registry and Debian's apt repository):
#   - code-server's postinstall downloads ripgrep from GitHub: we skip install scripts
#     (--ignore-scripts, which also sidesteps root's --unsafe-perm) and put Debian's `rg` at @vscode/ripgrep/bin/rg;
#   - then we rebuild the native modules ourselves: kerberos needs libkrb5-dev, node-pty's script runs
#     `npx node-gyp` (npm_config_yes=true answers its prompt);
#   - code-server 4.100.x (VS Code 1.100) is the last one that runs on Node 20 (4.101 needs Node 22+).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=${CODE_SERVER_VERSION:-4.100.3}
DIR=$ROOT/.tools/code-server
ENTRY=$DIR/node_modules/code-server/out/node/entry.js

# ---- Debian packages (only those missing)
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup-vscode: apt-get install ${need_apt[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# ---- code-server (skipped when the right version is already there)
installed=
[ -f "$ENTRY" ] && installed=$(node -p "require('$DIR/node_modules/code-server/package.json').version" 2>/dev/null || true)
if [ "$installed" = "$VERSION" ] && [ -f "$DIR/.complete" ]; then
  echo "setup-vscode: code-server $VERSION already in .tools/code-server"
  exit 0
fi
echo "setup-vscode: installing code-server $VERSION into .tools/code-server (about a minute)"
mkdir -p "$DIR"
rm -f "$DIR/.complete"
cd "$DIR"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
npm install --ignore-scripts --no-audit --no-fund "code-server@$VERSION" >/dev/null
npm rebuild argon2 >/dev/null

VS=node_modules/code-server/lib/vscode
(cd "$VS" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
(cd "$VS" && npm_config_yes=true npm rebuild kerberos @vscode/spdlog node-pty native-watchdog @parcel/watcher @vscode/deviceid >/dev/null)
(cd "$VS" && ln -sfn node_modules node_modules.asar)
(cd "$VS/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$VS/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)

node "$ENTRY" --version
touch "$DIR/.complete"
