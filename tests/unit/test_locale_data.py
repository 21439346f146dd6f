"""Which locale a warm process loads at warm-up, and what it then depends on."""
import os

import pytest

from pyshell.launch.locale_data import ALIAS_FILE, locale_search_inputs, locale_to_preload

_loader = pytest.importorskip("pyshell._loader",
                              reason="the native launcher is not built (pip install .)")


@pytest.mark.parametrize("env, expected", [
    ({"LC_ALL": "C.UTF-8"}, "C.UTF-8"),
    ({"LANG": "en_US.UTF-8"}, "en_US.UTF-8"),
    ({"LC_ALL": "de_DE.UTF-8", "LANG": "en_US.UTF-8", "LC_TIME": "C"}, "de_DE.UTF-8"),
    ({"LC_ALL": "", "LANG": "C.UTF-8"}, "C.UTF-8"),
    ({"LANG": "C.UTF-8", "LC_TIME": "POSIX"}, ""),     # a mix: not preloaded
    ({"LANG": "C"}, ""), ({"LC_ALL": "POSIX"}, ""), ({}, ""),
    ({"LC_ALL": "../evil"}, ""),
    ({"LC_ALL": "C.UTF-8", "LOCPATH": "/opt/locales"}, ""),
    ({"LC_ALL": "xx_YY.UTF-8"}, ""),                   # failed before
])
def test_locale_to_preload(env, expected):
    assert locale_to_preload(env, {"xx_YY.UTF-8"}) == expected


def test_search_inputs_cover_directories_alias_and_gconv():
    mapped = ["/usr/bin/cat", "/usr/lib/x86_64-linux-gnu/libc.so.6",
              "/usr/lib/locale/C.utf8/LC_CTYPE",
              "/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES"]
    inputs = locale_search_inputs(mapped)
    for path in (ALIAS_FILE, "/usr/lib/locale", "/usr/lib/locale/C.utf8",
                 "/usr/lib/locale/C.utf8/LC_MESSAGES",
                 "/usr/lib/x86_64-linux-gnu/gconv",
                 "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache"):
        assert path in inputs
    assert "/usr/lib" not in inputs and "/usr/bin" not in inputs


def test_absent_identity_is_checked(tmp_path):
    path = str(tmp_path / "later")
    packed = _loader.packed_identities([(path, _loader.identity(path) or _loader.ABSENT)])
    assert _loader.identities_current(packed)
    open(path, "w").close()
    assert not _loader.identities_current(packed)
    packed = _loader.packed_identities([(path, _loader.identity(path))])
    assert _loader.identities_current(packed)
    os.unlink(path)
    assert not _loader.identities_current(packed)
