"""The command line's two consoles: results on stdout, progress and errors on stderr."""

from rich.console import Console

console = Console()
err = Console(stderr=True)
