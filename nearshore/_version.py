"""The package version, in the bottom layer so that every module can name it without importing the package."""

from __future__ import annotations

__version__ = "0.1.0"
