"""Folders of data files shipped inside the packages (package data), as real paths on disk.

Located through ``importlib.resources`` rather than ``__file__``, so a checkout, an editable
install and an installed wheel all find them the same way.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def package_folder(package: str, *parts: str) -> Path:
    """The folder ``parts`` inside ``package``, which must exist on disk.

    Callers hand these paths to code that needs a file system (``FileResponse``, ``open``,
    ``shutil.copy``); a zipped install has no such folder, so it fails here with the name of
    what is missing rather than later with a bare ``FileNotFoundError``.
    """
    folder = resources.files(package).joinpath(*parts)
    if not isinstance(folder, Path) or not folder.is_dir():
        where = "/".join((package.replace(".", "/"), *parts))
        raise FileNotFoundError(f"package data folder {where}/ is missing from the installed package")
    return folder.resolve()
