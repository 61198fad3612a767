"""`lifelong export` (``lifelong.interchange.export``): the catalogue as CSV, JSON and JSON
Lines, each read back with a real parser; cells for lists, objects, Chinese text and a body
with newlines and commas; the same bytes twice; files never overwritten by surprise."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lifelong.catalogue.entryfile import dumps_entry
from lifelong.catalogue.schema import load_rules
from lifelong.cli import main
from lifelong.interchange.export import csv_cell
from lifelong.interchange.sources import read
from sitekit import PRIVATE_PHONE, course, one_of_each, people_and_places, write_project

BODY = "太极拳，动作舒缓。\n\n第二段, with commas, \"quotes\"; and a semicolon."


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    write_project(root, one_of_each())
    special = course("qigong", title="八段锦：养生气功", teachers=["王老师", "李; 张"],
                     tags=["气功", "养生"], published="2024-05-01",
                     materials=[{"title": "图解, 第一式", "link": "https://example.org/1.pdf"}])
    (root / "content" / "courses" / "qigong.md").write_text(dumps_entry(special, BODY),
                                                             encoding="utf-8")
    return root


def export(project: Path, *args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, ["export", "--project", str(project), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


def test_csv_opens_in_excel_and_reads_back_cell_by_cell(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "catalogue.csv"
    code, _, err = export(project, "--format", "csv", "-o", str(out))
    assert (code, err) == (0, f"Exported 11 entries to {out}.\n")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfkind,id,code,title,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    rules = load_rules(project / "catalogue")
    header = list(rows[0])
    assert (header[:2], header[-1]) == (["kind", "id"], "body")
    assert header[2:-1] == list(dict.fromkeys(
        name for kind in rules.kinds.values() for name in kind.fields
        if name not in ("kind", "id")))
    assert [(row["kind"], row["id"]) for row in rows] == sorted(
        (row["kind"], row["id"]) for row in rows)
    qigong = next(row for row in rows if row["id"] == "qigong")
    assert {name: value for name, value in qigong.items() if value} == {
        "kind": "course", "id": "qigong", "title": "八段锦：养生气功",
        "summary": "一门测试微课。", "subjects": "exercise", "audiences": "older-adults",
        "language": "zh", "published": "2024-05-01", "tags": "气功; 养生", "duration_minutes": "18",
        "format": "video", "teachers": '["王老师", "李; 张"]',
        "materials": '[{"title": "图解, 第一式", "link": "https://example.org/1.pdf"}]',
        "body": BODY}
    assert json.loads(qigong["teachers"]) == ["王老师", "李; 张"]
    taiji = next(row for row in rows if row["id"] == "taiji-basics")
    assert (taiji["featured"], taiji["draft"], taiji["code"]) == ("true", "", "382915")


def test_json_and_json_lines_hold_the_same_records(project: Path, tmp_path: Path) -> None:
    code, lines, _ = export(project, "--format", "jsonl", "-o", "-")
    assert code == 0
    records = [json.loads(line) for line in lines.decode("utf-8").splitlines()]
    (tmp_path / "all.json").write_bytes(b"")
    code, _, _ = export(project, "--format", "json", "-o", str(tmp_path / "all.json"),
                        "--force")
    assert code == 0
    assert json.loads((tmp_path / "all.json").read_text(encoding="utf-8")) == records
    qigong = next(record for record in records if record["id"] == "qigong")
    assert list(qigong) == ["kind", "id", "title", "summary", "subjects", "audiences",
                            "language", "published", "tags", "duration_minutes", "format",
                            "teachers", "materials", "body"]
    assert qigong["teachers"] == ["王老师", "李; 张"]
    assert qigong["materials"] == [{"title": "图解, 第一式", "link": "https://example.org/1.pdf"}]
    assert qigong["body"] == BODY
    # What the editor wrote, not the defaults check fills in, but for the language: another
    # system needs it, and an import never assumes one.
    assert qigong["language"] == "zh"
    assert "featured" not in qigong
    lecture = next(record for record in records if record["kind"] == "lecture")
    assert lecture["starts"] == "2027-03-05T19:30:00+08:00"
    assert lecture["speakers"] == [{"name": "王医生", "role": "doctor"}]


def test_one_kind_and_the_same_bytes_twice(project: Path) -> None:
    first = export(project, "--format", "csv", "--kind", "ebook", "-o", "-")[1]
    assert first == export(project, "--format", "csv", "--kind", "ebook", "-o", "-")[1]
    rows = list(csv.reader(io.StringIO(first.decode("utf-8-sig"), newline="")))
    assert [row[:2] for row in rows[1:]] == [["ebook", "lunyu"]]
    assert ("duration_minutes" in rows[0], "isbn" in rows[0]) == (False, True)


def test_a_private_contact_is_said_to_be_written_and_left_out_with_public(
        tmp_path: Path) -> None:
    root = tmp_path / "people"
    write_project(root, [*one_of_each(), *people_and_places()])
    code, data, err = export(root, "--format", "jsonl", "--kind", "teacher", "-o", "-")
    assert code == 0
    assert PRIVATE_PHONE in data.decode("utf-8")  # the editors' file holds what they wrote
    assert err == ("Note: 1 private value (a contact whose 'public' is not true) written; "
                   "keep the file among editors, or pass --public to leave them out.\n")
    code, data, err = export(root, "--format", "jsonl", "--kind", "teacher", "--public",
                             "-o", "-")
    records = {r["id"]: r for r in map(json.loads, data.decode("utf-8").splitlines())}
    assert (code, err) == (0, "")
    assert PRIVATE_PHONE not in data.decode("utf-8")
    assert "contact" not in records["wang-fang-doctor"]
    assert records["li-xiu-lan-t"]["contact"]["public"] is True  # a public one stays


def test_an_existing_file_is_kept_without_force(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "keep.csv"
    out.write_text("mine\n", encoding="utf-8")
    code, _, err = export(project, "--format", "csv", "-o", str(out))
    assert (code, err) == (1, f"Error: {out} exists; pass --force to replace it\n")
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert [path.name for path in tmp_path.iterdir()] == ["keep.csv"]


def test_an_unknown_kind_and_a_broken_catalogue_export_nothing(tmp_path: Path) -> None:
    write_project(tmp_path, [course("a-course"), course("broken", duration_minutes=0)])
    code, _, err = export(tmp_path, "--format", "json", "-o", str(tmp_path / "x.json"))
    assert code == 1
    assert err.startswith("Error: nothing exported: fix this problem first (lifelong check)\n"
                          "content/courses/broken.md:")
    assert not (tmp_path / "x.json").exists()
    (tmp_path / "content/courses/broken.md").unlink()
    code, _, err = export(tmp_path, "--format", "json", "--kind", "cours", "-o", "-")
    assert (code, err) == (1, "Error: unknown kind 'cours'; did you mean 'course'?\n")


@pytest.mark.parametrize(("value", "cell"), [
    (None, ""), (True, "true"), (False, "false"), (18, "18"), ("论语", "论语"),
    (["太极", "气功"], "太极; 气功"),
    (["a;b"], '["a;b"]'),
    (["[not json]"], '["[not json]"]'),
    ([" padded"], '[" padded"]'),
    ([], ""),
    ({"name": "王医生", "role": "doctor"}, '{"name": "王医生", "role": "doctor"}'),
])
def test_a_value_in_one_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


@pytest.mark.parametrize(("value", "cell"), [
    ('=HYPERLINK("https://evil.example","点我")', '\'=HYPERLINK("https://evil.example","点我")'),
    ("+86 10 1234", "'+86 10 1234"), ("@SUM(A1)", "'@SUM(A1)"), (-500, "'-500"),
    ("\t=1+2", "'\t=1+2"), (["-x", "y"], "'-x; y"),
    ("'Tis the season", "'Tis the season"), ("1+2", "1+2"), ("太极-入门", "太极-入门"),
])
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(tmp_path: Path, value: object,
                                                        cell: str) -> None:
    """CSV injection: Excel and WPS run a cell starting =, +, -, @ as a formula; after an
    apostrophe they show it as text, and the import reads it back without."""
    assert csv_cell(value) == cell
    out = io.StringIO(newline="")
    csv.writer(out).writerows([["v"], [cell]])
    (tmp_path / "a.csv").write_text(out.getvalue(), encoding="utf-8", newline="")
    [row] = read(tmp_path / "a.csv")
    guarded = cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t")
    assert row.values["v"] == (cell[1:] if guarded else cell)
