"""bash_key_order against a direct model of bash's hash table (FNV-1, 1024 buckets,
head insertion, 4x growth at 2 entries per bucket, chains moved in bucket order).
The differential cases check the order against bash itself."""
from __future__ import annotations

import random

import pytest

from pyshell.interp.assoc_order import bash_key_order, key_hash


def _bash_table_order(keys: list) -> list:
    buckets = 1024
    table = [[] for _ in range(buckets)]
    count = 0
    for key in keys:
        if count >= buckets * 2:
            old, buckets = table, buckets * 4
            table = [[] for _ in range(buckets)]
            for chain in old:
                for moved in chain:
                    table[key_hash(moved) & (buckets - 1)].insert(0, moved)
        table[key_hash(key) & (buckets - 1)].insert(0, key)
        count += 1
    return [key for chain in table for key in chain]


def test_fnv1_hash_values():
    # FNV-1 (multiply, then xor) on the UTF-8 bytes
    assert key_hash("") == 2166136261
    assert key_hash("a") == (2166136261 * 16777619 & 0xFFFFFFFF) ^ ord("a")


@pytest.mark.parametrize("count", [0, 1, 2, 7, 1500, 2048, 2049, 2500, 8192, 8193, 9000])
def test_order_matches_the_table_model(count):
    rng = random.Random(count)
    keys = list(dict.fromkeys(f"k{rng.randrange(10**7)}" for _ in range(count)))
    assert bash_key_order(keys) == _bash_table_order(keys)


def test_non_ascii_keys_hash_their_utf8_bytes():
    keys = ["é", "e\u0301", "\udce9", "ü", "a b"]
    assert sorted(bash_key_order(keys)) == sorted(keys)
    assert bash_key_order(keys) == _bash_table_order(keys)
