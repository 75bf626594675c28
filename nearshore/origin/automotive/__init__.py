"""Automotive."""
