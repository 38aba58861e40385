"""``innograph``: the command line.

Each module in this package that defines ``register(app)`` adds its subcommands; they are
found at start-up, so a new area of the product adds a module here and touches nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

import innograph_cli

app = typer.Typer(
    name="innograph",
    help="InnoGraph (创新图谱): build, query and serve the innovation-ecosystem graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(innograph_cli.__path__), key=lambda m: m.name):
        if info.name == "main":
            continue
        module = importlib.import_module(f"innograph_cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()

if __name__ == "__main__":
    app()
