"""Settings resolved from a table of declarations (the table is nearshore/settings.py): every value read once
from the environment and explicit overrides and validated (ConfigError on the first bad one), then read back
typed; a secret's value never appears in a repr or a str."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Self

from nearshore.errors import ConfigError
from nearshore.setting import Setting, SettingType, Value


class Declarations:
    """A table of settings, looked up by name."""

    def __init__(self, table: tuple[Setting, ...]) -> None:
        self.table = table
        self.by_name = {s.name: s for s in table}

    def setting(self, name: str) -> Setting:
        """The declared setting called `name`; ConfigError listing the known ones when there is none."""
        try:
            return self.by_name[name]
        except KeyError:
            raise ConfigError(
                f"unknown setting {name!r}; known settings: {', '.join(sorted(self.by_name))}",
                field=name,
                hint="use one of the settings listed in docs/settings.md",
            ) from None


@dataclass(frozen=True, repr=False)
class Values:
    """Resolved, validated values of the settings `declared` (a subclass names its table)."""

    _values: Mapping[str, Value] = field(default_factory=dict)
    declared: ClassVar[Declarations]

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Self:
        """Read every setting from `env` (default: os.environ) and `overrides`; ConfigError on the first bad one."""
        env = os.environ if env is None else env
        raw: dict[str, object] = {s.name: env.get(s.env, s.default) for s in cls.declared.table}
        for key, value in overrides.items():
            raw[cls.declared.setting(key).name] = value
        return cls({name: cls.declared.by_name[name].parse(value) for name, value in raw.items()})

    def _typed(self, name: str, *kinds: SettingType) -> Value:
        declared = self.declared.setting(name)
        if declared.type not in kinds:
            raise TypeError(f"setting {name} has type {declared.type}, not {' or '.join(kinds)}")
        return self._values[name]

    def get(self, name: str) -> str:
        """A text setting (str or secret)."""
        return str(self._typed(name, "str", "secret"))

    def integer(self, name: str) -> int:
        value = self._typed(name, "int")
        assert isinstance(value, int)
        return value

    def number(self, name: str) -> float:
        value = self._typed(name, "float")
        assert isinstance(value, float)
        return value

    def flag(self, name: str) -> bool:
        return bool(self._typed(name, "bool"))

    def path(self, name: str) -> Path | None:
        """A path setting, or None when it is empty."""
        value = self._typed(name, "path")
        return value if isinstance(value, Path) else None

    def data_dir(self) -> Path:
        if (configured := self.path("data_dir")) is not None:
            return configured
        import platformdirs  # on use: a command given its data folder does not import it

        return Path(platformdirs.user_data_dir("nearshore"))

    def db_path(self) -> str:
        configured = self.path("db_path")
        return str(configured) if configured else str(self.data_dir() / "nearshore.duckdb")

    def shared_dir(self) -> Path | None:
        return self.path("shared_dir")

    def raw_dir(self) -> Path:
        """The official raw files: <shared_dir>/data/raw, by default ../shared/data/raw from here."""
        shared = self.shared_dir() or Path("..") / "shared"
        return shared / "data" / "raw"

    def redacted(self) -> dict[str, str]:
        """Values safe to print: secrets are masked."""
        out = {}
        for s in self.declared.table:
            value = self._values[s.name]
            out[s.name] = "***" if s.secret and value else ("" if value is None else str(value))
        return out

    def __repr__(self) -> str:
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in self.redacted().items()) + ")"

    __str__ = __repr__


__all__ = ["Declarations", "Values"]
