"""Codes and their words (analysis.kode, kode.csv) and the settings models (analysis.pengaturan)."""

from __future__ import annotations

import csv
from importlib import resources

import pytest
import yaml

from analysis import config, kode, pengaturan
from analysis.errors import ConfigError
from analysis.laporan import katalog
from pengaturan_uji import FIXTURES


# ------------------------------------------------------------------ codes ----
def _rows() -> list[dict[str, str]]:
    with resources.files("analysis").joinpath(kode.LABEL_FILE).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_code_has_words_and_every_row_a_code():
    rows = {(r["jenis"], r["kode"]) for r in _rows()}
    members = {(kode.jenis(cls), m.value) for cls in kode.SEMUA for m in cls}
    assert members - rows == set(), "codes without words in kode.csv"
    assert rows - members == set(), "rows of kode.csv without a code"
    assert all(r["label"].strip() for r in _rows())


def test_words_are_the_readers():
    assert kode.PosisiCorong.ATAS_998.label == "di atas 99,8 %"
    assert kode.PosisiCorong.DALAM.label == "dalam batas 95 %"
    assert kode.StatusTarget.DI_BAWAH.label == "di bawah target"
    assert kode.StatusTarget.DI_BAWAH.singkat == "belum*"
    assert kode.StatusTarget.TERCAPAI.singkat == "tercapai"
    assert kode.Keandalan("press-unconfirmed").singkat == "berita, belum terkonfirmasi"
    assert kode.Keandalan.REPORTED.label == "dilaporkan resmi"
    assert kode.Seri.REGISTER.label == "register e-PPGBM"
    assert kode.KategoriKualitas.DAPAT_DITERIMA.label == "Dapat diterima"
    # a code without a short form uses its label
    assert kode.PosisiBanding.SETARA.singkat == "setara"
    assert kode.StatusLokus.labels()["tidak_lagi"] == "Ditetapkan, tidak direkomendasikan"


def test_codes_are_plain_strings_in_data():
    assert kode.StatusAksi.SELESAI == "selesai" and isinstance(kode.StatusAksi.SELESAI, str)
    assert kode.jenis(kode.KelompokSasaran) == "kelompok_sasaran"
    with pytest.raises(ValueError):
        kode.Keandalan("dilaporkan")  # words are never codes


# ------------------------------------------------------------------ settings ----
@pytest.mark.parametrize("name", sorted(pengaturan.MODELS))
def test_every_live_settings_file_matches_its_model(name):
    loader = getattr(pengaturan, "katalog" if name == "laporan" else name)
    assert isinstance(loader(), pengaturan.MODELS[name])


def test_models_repeat_no_settings_in_code():
    """A field may be optional only as "absent" (None), never with a value of its own: the
    value lives in the YAML file."""
    def walk(model: type) -> list[str]:
        bad = []
        for fname, f in model.model_fields.items():
            if not f.is_required() and f.default is not None:
                bad.append(f"{model.__name__}.{fname} = {f.default!r}")
            for arg in getattr(f.annotation, "__args__", ()) + (f.annotation,):
                if isinstance(arg, type) and issubclass(arg, pengaturan.BaseModel):
                    bad += walk(arg)
        return bad

    bad = [b for m in pengaturan.MODELS.values() for b in walk(m)]
    assert bad == []


def test_fixtures_are_valid_settings():
    for name, model in pengaturan.MODELS.items():
        path = FIXTURES / f"{name}.yaml"
        if path.is_file():
            assert isinstance(pengaturan.dari_berkas(model, path), model)


def _broken(tmp_path, name: str, change) -> pengaturan.BaseModel:
    raw = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return pengaturan.dari_berkas(pengaturan.MODELS[name], path)


def test_a_bad_file_stops_with_its_name_and_key(tmp_path):
    with pytest.raises(ConfigError, match=r"lokus\.yaml.*bobot\.prevalensi"):
        _broken(tmp_path, "lokus", lambda r: r["bobot"].update(prevalensi=-1))
    with pytest.raises(ConfigError, match=r"reviu_kinerja\.yaml.*seri_putusan"):
        _broken(tmp_path, "reviu_kinerja", lambda r: r.update(seri_putusan="sensus"))
    with pytest.raises(ConfigError, match=r"studi_tiru\.yaml.*pertanyaan\.maks"):
        _broken(tmp_path, "studi_tiru", lambda r: r["pertanyaan"].pop("maks"))
    with pytest.raises(ConfigError, match=r"kualitas_data\.yaml.*putusan"):
        _broken(tmp_path, "kualitas_data", lambda r: r["putusan"].pop("baik"))
    with pytest.raises(ConfigError, match=r"rubrik_aksi\.yaml.*bobot"):
        _broken(tmp_path, "rubrik_aksi", lambda r: r["bobot"].pop(8))
    with pytest.raises(ConfigError, match=r"target\.yaml.*ekstra"):
        _broken(tmp_path, "target", lambda r: r.update(ekstra=1))   # unknown keys are refused


def test_the_provincial_target_has_one_home():
    """12,9 % (Kalimantan Timur, 2024) is written in target.yaml and nowhere else."""
    hits = [p.name for p in config.CONFIG_DIR.glob("*.yaml") if "12.9" in p.read_text(encoding="utf-8")]
    assert hits == ["target.yaml"]
    assert pengaturan.target().provinsi["64"].target_pct == 12.9


# ------------------------------------------------------------------ one name per report ----
def test_one_name_per_report():
    """Catalogue name ↔ package ↔ notebook ↔ settings file."""
    import importlib

    for name, spec in katalog.load_registry().items():
        assert spec.paket == name.replace("-", "_")
        importlib.import_module(f"analysis.laporan.{spec.paket}")
        assert (config.NOTEBOOKS_DIR / f"{spec.paket}.ipynb").is_file(), name
        assert (config.CONFIG_DIR / f"{spec.paket}.yaml").is_file(), name
        assert spec.template_path().name == f"{spec.paket}.ipynb"
