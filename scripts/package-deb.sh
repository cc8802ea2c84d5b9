#!/usr/bin/env bash
# Builds the Debian package for Debian 12, 统信 UOS and 银河麒麟 into target/dist/:
#
#   scripts/package-deb.sh        (as root, or with sudo for the one apt-get it may need)
#
# Installs what it lacks: python3 (the licence list) and lintian from apt, cargo-deb with
# cargo. The package's contents are set in Cargo.toml [package.metadata.deb] and packaging/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
dist=target/dist

# shellcheck source=scripts/package-common.sh
source scripts/package-common.sh

apt_install_missing python3 python3 lintian lintian
command -v cargo-deb >/dev/null || cargo install --locked cargo-deb

mkdir -p "$dist"
# Listed in [package.metadata.deb] assets: the crates' licences travel with the binary.
python3 packaging/third_party_licenses.py x86_64-unknown-linux-gnu "$dist/THIRD-PARTY-LICENSES.txt"
deb=$(cargo deb --output "$dist" -- --locked | tail -n 1)
echo "已生成：$deb"
# Errors fail the script; warnings are shown for whoever reads the log.
lintian --fail-on error --info "$deb"
