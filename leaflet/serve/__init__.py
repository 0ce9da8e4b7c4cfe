"""``leaflet serve``: leaflets and taper calendars in the browser, and an HTTP API.

The flow is the command line's: :mod:`leaflet.serve.service` asks the build for
verified documents and plans tapers with :mod:`leaflet.taper.taper_plan`;
:mod:`leaflet.serve.pool` renders personalised handouts in warm worker
processes; :mod:`leaflet.serve.api` and :mod:`leaflet.serve.pages` are the HTTP
faces; :mod:`leaflet.serve.security` the safety layers; :mod:`leaflet.serve.app`
wires them.
"""
