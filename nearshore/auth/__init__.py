"""Who may call the HTTP API: API keys, stored hashed (nearshore.auth.keys)."""

from __future__ import annotations

from nearshore.auth.keys import PREFIX, KeyRecord, KeyStore, NewKey, key_file

__all__ = ["PREFIX", "KeyRecord", "KeyStore", "NewKey", "key_file"]
