"""Run the command-line interface: ``python -m leaflet``."""

from .cli.main import main

main()
