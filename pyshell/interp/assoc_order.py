"""The order in which bash lists an associative array's keys.

bash keeps an associative array in a hash table: FNV-1 (32-bit) of the key's bytes picks a
bucket among 1024, and a new key goes to the head of its bucket's chain. Listing walks the
buckets in order and each chain from its head. When an insertion finds 2 x buckets
entries, the table grows to 4 x buckets and every chain is moved over, which reverses
the relative order of the keys that share a new bucket.

The interpreter keeps an associative array as a dict, whose order is the order in which
the present keys were (last) inserted. That is all this needs, with one assumption for
arrays that grew past 2048 keys: the growths happened when the count first reached each
threshold, as they do when no key was unset on the way (otherwise the order may differ
from bash's inside a bucket).
"""
from __future__ import annotations

from functools import lru_cache

_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619
_INITIAL_BUCKETS = 1024
_GROW_FACTOR = 2       # grow when entries reach buckets * 2 ...
_GROW_MULTIPLIER = 4   # ... to buckets * 4


@lru_cache(maxsize=65536)
def key_hash(key: str) -> int:
    h = _FNV_OFFSET
    for byte in key.encode("utf-8", "surrogateescape"):
        h = (h * _FNV_PRIME) & 0xFFFFFFFF
        h ^= byte
    return h


def bash_key_order(keys, initial_buckets: int | None = None) -> list:
    """`keys` in insertion order (a dict's order) -> the order bash lists them in.
    bash's other hash tables (aliases: 64 buckets, hashed commands: 256) work the same
    way from another size: `initial_buckets`, or the `hash_buckets` attribute of `keys`
    (see builtins/computed_arrays.py)."""
    buckets = initial_buckets or getattr(keys, "hash_buckets", _INITIAL_BUCKETS)
    keys = list(keys)
    count = len(keys)
    if count < 2:
        return keys
    growths = []   # how many keys were present at each growth, oldest first
    while count > buckets * _GROW_FACTOR:
        growths.append(buckets * _GROW_FACTOR)
        buckets *= _GROW_MULTIPLIER
    mask = buckets - 1

    def position(item):
        index, key = item
        # newer keys come first in a chain; each growth reverses the keys present then
        rank = index
        for present in growths:
            if index < present:
                rank = -rank
        return key_hash(key) & mask, -rank

    return [key for _, key in sorted(enumerate(keys), key=position)]
