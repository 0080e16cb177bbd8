"""Packaging beyond what pyproject.toml can say: the data ships inside the wheel.

``data/raw`` and ``data/curated`` of the repository become the package data
``mfgpolicy/_bundled/raw`` and ``mfgpolicy/_bundled/curated``, so an installed copy works from
any folder (``mfgpolicy.project.bundled_data``). ``data/build`` is never shipped. The data
browser's stylesheet and script (``mfgpolicy/outputs/site/assets``) and the figures' font
(TrueType, with its licence) ship as package data too.
"""

from setuptools import find_packages, setup

setup(
    # each folder of package data is named as a package of its own: setuptools warns about folders
    # that Python could import but the configuration does not list
    packages=[*find_packages(include=["mfgpolicy", "mfgpolicy.*"]), "mfgpolicy._bundled", "mfgpolicy._bundled.curated",
              "mfgpolicy._bundled.raw", "mfgpolicy.outputs.site.assets", "mfgpolicy.outputs.figures.fonts"],
    package_dir={"mfgpolicy._bundled": "data"},
    package_data={"mfgpolicy._bundled.curated": ["*.csv", "*.json", "VERSION"],
                  "mfgpolicy._bundled.raw": ["*.txt", "*.meta.yml"],
                  "mfgpolicy.outputs.site.assets": ["*.css", "*.js"],
                  "mfgpolicy.outputs.figures.fonts": ["*.ttf", "OFL.txt"]},
)
