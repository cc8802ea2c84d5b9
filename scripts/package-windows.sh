#!/usr/bin/env bash
# Cross-builds the Windows program on Debian and packs it into target/dist/:
#
#   scripts/package-windows.sh    (as root, or with sudo for the one apt-get it may need)
#
#   volunteer-desk-VERSION-windows-x64.zip  the .exe, 使用说明.txt and the licences, in one folder
#   volunteer-desk-VERSION-setup.exe         the same as an installer for the current user (NSIS)
#
# Installs what it lacks: MinGW-w64 (linker and windres for the icon), NSIS and python3 from
# apt, the Rust target with rustup. The text files get a UTF-8 byte-order mark and CRLF line
# ends: Notepad reads BOM-marked UTF-8 on every Windows (without the mark, Notepad before
# Windows 10 1903 reads them as GBK), and GBK itself would be garbled on a non-Chinese system.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
target=x86_64-pc-windows-gnu
dist=target/dist
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
name=volunteer-desk-$version
stage=$dist/$name-windows-x64

# shellcheck source=scripts/package-common.sh
source scripts/package-common.sh

# Copies a text file for Notepad: UTF-8 with a byte-order mark, CRLF line ends.
windows_text() {
    { printf '\xef\xbb\xbf'; sed 's/\r$//; s/$/\r/' "$1"; } >"$2"
}

apt_install_missing x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64 makensis nsis python3 python3
rustup target add "$target"

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
cargo build --release --locked --target "$target"

rm -rf "$stage"
mkdir -p "$stage"
# Symbols only make the download bigger; backtraces keep the function names they need.
x86_64-w64-mingw32-strip -o "$stage/volunteer-desk.exe" "target/$target/release/volunteer-desk.exe"
cp assets/icons/volunteer-desk.ico "$stage/"
windows_text packaging/使用说明.txt "$stage/使用说明.txt"
windows_text packaging/copyright "$stage/LICENSE.txt"
windows_text assets/fonts/LICENSE-OFL.txt "$stage/LICENSE-OFL.txt"
python3 packaging/third_party_licenses.py "$target" "$dist/THIRD-PARTY-LICENSES-windows.txt"
windows_text "$dist/THIRD-PARTY-LICENSES-windows.txt" "$stage/THIRD-PARTY-LICENSES.txt"

# Python's zipfile marks the Chinese file names as UTF-8 (flag bit 11), which Explorer's
# built-in unzip needs; Info-ZIP's zip does not set it, and the names come out garbled.
zip=$dist/$name-windows-x64.zip
python3 - "$stage" "$zip" <<'PY'
import pathlib, sys, zipfile
stage, out = pathlib.Path(sys.argv[1]), sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for path in sorted(stage.iterdir()):
        z.write(path, f"{stage.name}/{path.name}")
PY
echo "已生成：$zip"

setup=$dist/$name-setup.exe
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DSTAGE="$PWD/$stage" -DOUTFILE="$PWD/$setup" \
    packaging/volunteer-desk.nsi
echo "已生成：$setup"
