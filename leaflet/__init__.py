"""leaflet: printable, verified medicine leaflets from one structured drug record.

The library API is :func:`leaflet.publish.build.build` (build documents),
:func:`leaflet.publish.checks.check_records` (validate records) and the stage modules it
wires together; :mod:`leaflet.cli` is a thin command-line layer over them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
