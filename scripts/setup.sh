#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine for image-build's tests and example, then installs the npm packages.
# Idempotent: apt-get runs (update first) only when a package is missing; `npm ci` only when node_modules is
# out of date with package-lock.json. Uses sudo for apt-get when not root.
#
#   bash scripts/setup.sh                  # OS packages + npm ci
#   bash scripts/setup.sh --packages       # print the Debian package list and exit
#   bash scripts/setup.sh --os-only        # OS packages only
#   bash scripts/setup.sh --npm-only       # npm packages only
set -euo pipefail

# Every Debian package the test suites and the example spawn (grep __tests__ and src for spawned tools):
packages=(
  docker-registry # a real OCI registry (CNCF distribution 2.8) for push/pull tests
  skopeo          # independent reader of our images and archives
  umoci           # independent OCI layout unpacker
  buildah         # differential checks of Dockerfile parsing and .dockerignore
  busybox-static  # the userland RUN tests and the example image are built from
  apache2-utils   # htpasswd for registry auth tests
  openssl         # certificates for TLS and token-auth registries
  attr            # setfattr/getfattr for xattr layer tests
  git             # git facts, SOURCE_DATE_EPOCH=git
  tar             # GNU tar: layer snapshots and cross-checks
  gzip
  bzip2
  xz-utils
  zstd
  util-linux # unshare, mount, setpriv
  perl       # the RUN sandbox supervisor
  procps     # ps, to check no RUN process outlives its step
  coreutils
  findutils
  ca-certificates
  uidmap
)

if [[ "${1:-}" == "--packages" ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."

install_npm_packages() {
  # npm ci when node_modules is missing or older than package-lock.json (npm writes node_modules/.package-lock.json).
  if [[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "setup: node_modules up to date"
    return
  fi
  echo "setup: npm ci"
  if npm ci --no-audit --no-fund; then return; fi
  # npm ≥ 11 refuses a lock file that lacks other platforms' optional packages (@swc/core-darwin-*, …); the
  # locked versions of everything else still apply with npm install, which leaves package-lock.json alone.
  local msg="npm ci failed (the registry may lack optional packages for other platforms, so package-lock.json cannot list them); falling back to npm install --no-save, which keeps the locked versions"
  if [[ -n "${GITHUB_ACTIONS:-}" ]]; then echo "::warning::$msg"; else echo "setup: $msg" >&2; fi
  npm install --no-save --no-audit --no-fund
}

if [[ "${1:-}" == "--npm-only" ]]; then
  install_npm_packages
  exit 0
fi

as_root() {
  if [[ "$(id -u)" == "0" ]]; then "$@"; else sudo -n "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
# Node: npm ci installs Node 24 for the npm scripts (the `node` devDependency); any Node ≥ 18 with npm can run it.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: OS packages present"
fi

if [[ "${1:-}" == "--os-only" ]]; then exit 0; fi

install_npm_packages
