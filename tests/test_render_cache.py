"""Cache keys: what changes a report's key, and what does not."""

from __future__ import annotations

from analysis import config
from analysis.render import cache


def test_code_digest_follows_config_weights(tmp_path, monkeypatch):
    (tmp_path / "lokus.yaml").write_text("bobot: {prevalensi: 0.4}\n", encoding="utf-8")
    monkeypatch.setattr(config, "CONFIG_DIR", tmp_path)
    cache.code_digest.cache_clear()
    before = cache.code_digest()
    cache.code_digest.cache_clear()
    assert cache.code_digest() == before, "the digest must be stable for unchanged files"
    (tmp_path / "lokus.yaml").write_text("bobot: {prevalensi: 0.5}\n", encoding="utf-8")
    cache.code_digest.cache_clear()
    after = cache.code_digest()
    cache.code_digest.cache_clear()
    assert after != before


def test_cache_key_changes_with_parameters_and_data_not_with_output_dir(tmp_path):
    template = tmp_path / "t.ipynb"
    template.write_text("{}", encoding="utf-8")
    data = tmp_path / "data" / "64.74" / "2024"
    data.mkdir(parents=True)
    (data / "eppgbm.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    files = cache.input_files([tmp_path / "data"])

    def key(values):
        return cache.cache_key(laporan="analisis-situasi", values=values, template=template,
                               data_files=files, data_root=tmp_path / "data", formats=("html",))

    base = key({"kab": "64.74", "tahun": 2024, "output_dir": "/a"})
    assert key({"kab": "64.74", "tahun": 2024, "output_dir": "/b"}) == base
    assert key({"kab": "64.74", "tahun": 2023, "output_dir": "/a"}) != base
    (data / "eppgbm.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    assert key({"kab": "64.74", "tahun": 2024, "output_dir": "/a"}) != base
