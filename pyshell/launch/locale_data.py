"""Locale data a warm process loads at warm-up, and what that makes it depend on.

A program's `setlocale(LC_ALL, "")` under, say, LC_ALL=C.UTF-8 opens, reads and maps a
dozen files (no locale archive on Debian): about a tenth of a millisecond per run of a
coreutils program. glibc keeps what one setlocale call loaded, and every answer of its
search, for the rest of the process, so a warm process that loaded the locale once
(asm/stub.c, load_locale_data) hands it to every child: the child still starts in the
C locale and loads nothing until it asks, and then finds the data already mapped.

That cache must never be stale: before every use of the warm process its mapped files
are checked like libraries, and so are the inputs of glibc's search that are not mapped:
the directories it looked in (a locale directory or archive created later changes their
modification time) and locale.alias (read once, present or not). The search path
is glibc's built-in one (LOCPATH is not preloaded; GCONV_PATH is part of the warm key).
"""
from __future__ import annotations

import os

# Every LC_* variable that selects a category, besides LC_ALL.
_CATEGORIES = ("LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY",
               "LC_MESSAGES", "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE",
               "LC_MEASUREMENT", "LC_IDENTIFICATION")
# glibc's LOCALE_ALIAS_PATH as Debian builds it: read at a process's first lookup.
ALIAS_FILE = "/usr/share/locale/locale.alias"


def locale_to_preload(env: dict, unavailable: set) -> str:
    """The one locale `env` selects for every category (LC_ALL, else LANG when no LC_*
    is set), or "" when there is none worth loading: C/POSIX (built in), a mix of
    categories, a path-like name, LOCPATH, or a name that failed before."""
    if env.get("LOCPATH"):
        return ""
    name = env.get("LC_ALL") or ""
    if not name:
        for category in _CATEGORIES:
            if env.get(category):
                return ""
        name = env.get("LANG") or ""
    if (name in ("", "C", "POSIX") or "/" in name or len(name) > 200
            or not name.isprintable() or name in unavailable):
        return ""
    return name


def locale_search_inputs(mapped: list) -> list:
    """Paths whose identity (or absence) a warm process that loaded locale data depends
    on besides its mapped files: the directories holding mapped locale and gconv data, up
    to the locale directory itself, glibc's gconv directory and cache, locale.alias."""
    inputs = {ALIAS_FILE: None}
    for path in mapped:
        if path.endswith("/libc.so.6"):
            gconv = os.path.join(os.path.dirname(path), "gconv")
            inputs[gconv] = None
            inputs[os.path.join(gconv, "gconv-modules.cache")] = None
        elif "/locale/" in path:
            directory = os.path.dirname(path)
            while directory not in ("", "/"):
                inputs[directory] = None
                if os.path.basename(directory) == "locale":
                    break
                directory = os.path.dirname(directory)
    return list(inputs)
