"""The primary source is stored unchanged, and its metadata says what SOURCE.md says."""

import hashlib

import pytest


def test_source_matches_recorded_sha256(root, ds):
    digest = hashlib.sha256((root / "data/source/article.txt").read_bytes()).hexdigest()
    assert digest == ds.source["sha256"] == ds.package["source"]["sha256"]


def test_source_is_byte_identical_to_shared_copy(root):
    shared = root.parent / "shared" / "source" / "article.txt"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert (root / "data/source/article.txt").read_bytes() == shared.read_bytes()


def test_metadata_states_size_and_date_status(ds, text):
    size = ds.source["size"]
    assert size["bytes"] == len(text.encode("utf-8"))
    assert size["words"] == len(text.split())
    assert ds.source["visit_date_inferred"]["basis"] == "inference"
    assert "inference" in ds.source["date_status"]
    assert ds.source["address"].endswith("23348.jhtml")
