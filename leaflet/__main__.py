"""Run the command-line interface: ``python -m leaflet``."""

from .cli import main

main()
