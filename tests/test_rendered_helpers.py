"""The privacy check used by the render smoke tests can fail (it is not vacuous)."""

from __future__ import annotations

import pytest

from rendered import assert_no_personal_data


def test_a_leaked_nik_or_name_is_caught(tmp_path):
    rows = ["NIK,Nama,Nama Ortu,Alamat"] + [
        f"64740127092300{i:02d},Anak Nomor {i},Ibu Nomor {i},Jalan Mawar No. {i}" for i in range(60)]
    export = tmp_path / "eppgbm.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "laporan.html").write_text("<p>Prevalensi 12,3 %</p>", encoding="utf-8")
    assert_no_personal_data(out, export)
    (out / "laporan.json").write_text('{"catatan": "Anak Nomor 7"}', encoding="utf-8")
    with pytest.raises(AssertionError, match="laporan.json"):
        assert_no_personal_data(out, export)
