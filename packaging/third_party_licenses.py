#!/usr/bin/env python3
"""Writes the licences of every crate compiled into the program for one target.

MIT, BSD and similar licences ask that their notice travel with binary copies, so the .deb
and the Windows zip carry this file. Usage: third_party_licenses.py TARGET-TRIPLE OUTPUT
"""
import json
import pathlib
import subprocess
import sys

LICENSE_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "UNLICENSE")


def shipped_crates(target):
    """Name and version of each crate in the program's normal dependency tree on `target`."""
    lines = subprocess.run(
        ["cargo", "tree", "--locked", "-e", "normal", "--target", target, "--prefix", "none",
         "--format", "{p}"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    crates = set()
    for line in lines:
        name, version = line.split()[:2]
        crates.add((name, version.lstrip("v")))
    return crates


def license_texts(folder):
    """The texts of the crate's licence files, in file name order."""
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.name.upper().startswith(LICENSE_NAMES))
    return [p.read_text(encoding="utf-8", errors="replace").strip() for p in files]


def main(target, output):
    metadata = json.loads(subprocess.run(
        ["cargo", "metadata", "--locked", "--format-version", "1", "--filter-platform", target],
        check=True, capture_output=True, text=True).stdout)
    root = metadata["resolve"]["root"]
    wanted = shipped_crates(target)
    # Most crates share a handful of texts (Apache-2.0, MIT with different holders): each
    # distinct text is written once, under the crates that carry it.
    by_text = {}
    without_files = []
    for package in sorted(metadata["packages"], key=lambda p: (p["name"], p["version"])):
        if package["id"] == root or (package["name"], package["version"]) not in wanted:
            continue
        label = f'{package["name"]} {package["version"]} ({package.get("license") or "见许可证文件"})'
        texts = license_texts(pathlib.Path(package["manifest_path"]).parent)
        if not texts:
            without_files.append(label)
        for text in texts:
            by_text.setdefault(" ".join(text.split()), (text, []))[1].append(label)
    sections = [f"{'=' * 78}\n" + "\n".join(sorted(set(crates))) + f"\n{'-' * 78}\n{text}"
                for text, crates in by_text.values()]
    if without_files:
        sections.append(f"{'=' * 78}\n以下软件包未随附许可证文件，其许可证以 SPDX 标识注明，标准文本见上文。\n"
                        "These crates ship no licence file; their SPDX licences are given, the texts above.\n"
                        + "\n".join(without_files))
    intro = ("本程序编译时包含以下开源软件包（Rust crates），按其许可证要求附上各自的版权与许可声明。\n"
             f"This program includes {len(wanted) - 1} open-source Rust crates; "
             "their copyright and licence notices follow.\n\n")
    pathlib.Path(output).write_text(intro + "\n\n".join(sections) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
