"""Which areas `render-all` renders each report for."""

from __future__ import annotations

from analysis.commands.render import _batch_areas
from analysis.laporan.katalog import get_spec


def test_district_reports_are_rendered_for_every_district():
    areas = _batch_areas(get_spec("analisis-situasi"), ["64.74", "17.71"], 2024)
    assert areas == [("64.74", {"kab": "64.74", "tahun": "2024"}),
                     ("17.71", {"kab": "17.71", "tahun": "2024"})]


def test_province_comparison_only_where_a_province_has_two_districts():
    areas = _batch_areas(get_spec("studi-tiru"), ["64.74", "64.02", "17.71"], 2024)
    assert [a for a, _ in areas] == ["64"]
    assert areas[0][1] == {"provinsi": "64", "tuan_rumah": "", "tamu": "", "tahun": "2024"}
    assert _batch_areas(get_spec("studi-tiru"), ["17.71"], 2024) == []
