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


def _published(tmp_path):
    out = tmp_path / "laporan"
    out.mkdir()
    names = ["a.html", "a.json"]
    for name in names:
        (out / name).write_text("isi lengkap\n", encoding="utf-8")
    cache.write_stamp(out, "a", "kunci-1", names)
    return out, names


def test_a_truncated_stamp_makes_the_report_stale(tmp_path):
    out, names = _published(tmp_path)
    assert cache.is_fresh(out, "a", "kunci-1", names)
    stamp = cache.stamp_path(out, "a")
    stamp.write_bytes(stamp.read_bytes()[:15])  # cut short, as by a full disk or a kill
    assert not cache.is_fresh(out, "a", "kunci-1", names)
    stamp.write_text("[]", encoding="utf-8")  # valid JSON, wrong shape
    assert not cache.is_fresh(out, "a", "kunci-1", names)


def test_a_truncated_output_makes_the_report_stale(tmp_path):
    out, names = _published(tmp_path)
    (out / "a.html").write_text("isi", encoding="utf-8")  # shorter than when it was published
    assert not cache.is_fresh(out, "a", "kunci-1", names)
    (out / "a.html").unlink()
    assert not cache.is_fresh(out, "a", "kunci-1", names)


def test_a_stamp_without_sizes_is_stale(tmp_path):
    """Stamps written before sizes were recorded are rendered once more, then carry sizes."""
    out, names = _published(tmp_path)
    cache.stamp_path(out, "a").write_text('{"kunci": "kunci-1", "keluaran": ["a.html", "a.json"]}',
                                          encoding="utf-8")
    assert not cache.is_fresh(out, "a", "kunci-1", names)
