"""Where the web page's files are: ``api/web/``, package data, so the page is served the same
from a checkout, an editable install or an installed wheel."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from graph.package_files import package_folder

#: The folder holding ``index.html``, ``style.css``, ``js/`` and ``i18n/``.
WEB_ROOT: Final[Path] = package_folder("api", "web")
