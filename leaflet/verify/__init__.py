"""Verification: reading a rendered PDF back and checking it before it is written."""
