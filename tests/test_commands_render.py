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


def test_a_batch_starts_large_reports_first_within_each_kind(tmp_path):
    from analysis.render.batch import start_order
    from analysis.render.pipeline import Job

    def job(laporan, area, size):
        return Job(laporan=laporan, values={}, template=tmp_path, out_dir=tmp_path, data_root=tmp_path,
                   formats=("html",), area=area, tahun=2024, key="", log_path=tmp_path, input_bytes=size)

    jobs = [job("analisis-situasi", "64.74", 10), job("analisis-situasi", "64.02", 90),
            job("reviu-kinerja", "64.74", 10), job("reviu-kinerja", "64.02", 90),
            job("studi-tiru", "64", 100), job("analisis-situasi", "64.01", 50)]
    order = start_order(jobs, list(range(len(jobs))))
    assert [(jobs[i].laporan, jobs[i].area) for i in order] == [
        ("analisis-situasi", "64.02"), ("analisis-situasi", "64.01"), ("analisis-situasi", "64.74"),
        ("reviu-kinerja", "64.02"), ("reviu-kinerja", "64.74"), ("studi-tiru", "64")]
