"""Rendering: the render context, the Jinja2 templates and WeasyPrint's PDF."""
