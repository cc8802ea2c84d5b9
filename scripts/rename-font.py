"""Renames a font's family in its name table (used for the OFL Reserved Font Name rule)."""
import sys
from fontTools.ttLib import TTFont

path, family = sys.argv[1], sys.argv[2]
font = TTFont(path)
names = {1: family, 3: f"{family} Regular", 4: family, 6: family.replace(" ", "") + "-Regular", 16: family}
for rec in font["name"].names:
    if rec.nameID in names:
        rec.string = names[rec.nameID]
font.save(path)
