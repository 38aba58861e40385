"""``innograph``: the command line.

Each module in this package that defines ``register(app)`` adds its subcommands; they are
found at start-up, so a new area of the product adds a module here and touches nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

import innograph_cli

app = typer.Typer(
    name="innograph",
    help="InnoGraph (创新图谱): build, query and serve the innovation-ecosystem graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


#: Commands answered in under a second after the first call (issue #12): importing every
#: command module costs more than that (fastapi, pypinyin, pandas…), so such a command
#: registers its own module only. ``innograph --help`` and every other command see them all.
_FAST_COMMANDS = {"partners": "match", "match-demand": "match"}


def _register_commands(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    only = _FAST_COMMANDS.get(args[0]) if args else None
    for info in sorted(pkgutil.iter_modules(innograph_cli.__path__), key=lambda m: m.name):
        if info.name == "main" or (only is not None and info.name != only):
            continue
        module = importlib.import_module(f"innograph_cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()

if __name__ == "__main__":
    app()
