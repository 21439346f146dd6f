"""Finding programs on PATH, with bash's remembered-location table (`hash`)."""
from __future__ import annotations

import os
import stat


def is_executable_file(path: str) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and os.access(path, os.X_OK)


def search_path(name: str, path_value: str | None) -> str | None:
    """The first executable regular file called `name` on PATH, as bash finds it.
    Like bash, if none is executable but a plain file exists, that one is returned
    (executing it then fails with Permission denied)."""
    if path_value is None:
        path_value = "/usr/local/bin:/usr/bin:/bin"
    fallback = None
    for directory in path_value.split(":"):
        candidate = f"{directory or '.'}/{name}"
        try:
            st = os.stat(candidate)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            continue
        if os.access(candidate, os.X_OK):
            return candidate
        if fallback is None:
            fallback = candidate
    return fallback


class CommandHash:
    """name -> full path, remembered until PATH changes or `hash -r`."""

    def __init__(self):
        self.table: dict[str, str] = {}
        self.hits: dict[str, int] = {}
        self._path_seen: str | None = None

    def find(self, name: str, path_value: str | None, remember: bool = True) -> str | None:
        if path_value != self._path_seen:
            self.table.clear()
            self.hits.clear()
            self._path_seen = path_value
        found = self.table.get(name)
        if found is not None:
            # like bash, trust the table; a failed exec calls forget_name() and retries
            if remember:
                self.hits[name] = self.hits.get(name, 0) + 1
            return found
        found = search_path(name, path_value)
        if found is not None and remember:
            self.table[name] = found
            self.hits[name] = 1
        return found

    def forget_name(self, name: str) -> None:
        self.table.pop(name, None)
        self.hits.pop(name, None)

    def forget(self) -> None:
        self.table.clear()
        self.hits.clear()
