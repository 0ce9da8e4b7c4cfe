"""The ``leaflet`` command line: a thin layer over the library."""
