#!/usr/bin/env bash
# Rebuilds the embedded Chinese fonts in assets/fonts/ from Debian's packages.
#
#   apt-get install -y fonts-noto-cjk fonts-lxgw-wenkai fonttools && scripts/make-font-subset.sh
#
# NotoSansSC-subset.otf: face 2 (Simplified Chinese) of Noto Sans CJK Regular, cut down to
#   the whole CJK Unified Ideographs block, CJK punctuation, full-width forms and the symbols
#   Chinese forms use. Noto Sans CJK 2.004 predates Unicode 13, so it lacks U+9FF0–U+9FFF.
# HanExt-9FF0.ttf: those 16 newest ideographs from LXGW WenKai (also OFL-1.1), so the
#   embedded fonts together cover U+4E00–U+9FFF with no hole (tests/fonts.rs checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/fonts
noto=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
wenkai=/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf
ranges="U+0020-007E,U+00A0-00FF,U+2000-206F,U+2100-214F,U+2190-21FF,U+2460-24FF,U+2500-25FF,U+2600-26FF,U+3000-303F,U+3200-32FF,U+4E00-9FFF,U+FE30-FE4F,U+FF00-FFEF"
common=(--layout-features="" --no-hinting --drop-tables+=vhea,vmtx,VORG --name-IDs='*' --name-languages='*')
pyftsubset "$noto" --font-number=2 --unicodes="$ranges" "${common[@]}" --output-file="$out/NotoSansSC-subset.otf"
pyftsubset "$wenkai" --unicodes="U+9FF0-9FFF" "${common[@]}" --output-file="$out/HanExt-9FF0.ttf"
# OFL: a modified font may not keep the Reserved Font Names "LXGW"/"霞鹜", so rename the cut.
/usr/bin/python3 scripts/rename-font.py "$out/HanExt-9FF0.ttf" "VolunteerDesk Han Ext"
ls -l "$out"
