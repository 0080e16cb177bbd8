"""Packaging beyond what pyproject.toml can say: the data ships inside the wheel.

``data/raw`` and ``data/curated`` of the repository become the package data
``mfgpolicy/_bundled/raw`` and ``mfgpolicy/_bundled/curated``, so an installed copy works from
any folder (``mfgpolicy.project.bundled_data``). ``data/build`` is never shipped. The data
browser's stylesheet and script (``mfgpolicy/outputs/site/assets``) and the figures' font
(TrueType, with its licence) ship as package data too.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["mfgpolicy", "mfgpolicy.*"]), "mfgpolicy._bundled"],
    package_dir={"mfgpolicy._bundled": "data"},
    package_data={"mfgpolicy._bundled": ["curated/*.csv", "curated/*.json", "curated/VERSION",
                                         "raw/*.txt", "raw/*.meta.yml"],
                  "mfgpolicy.outputs.site": ["assets/*.css", "assets/*.js"],
                  "mfgpolicy.outputs.figures": ["fonts/*.ttf", "fonts/OFL.txt"]},
)
