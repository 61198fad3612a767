"""The synthetic catalogue generator (lifelong.sample) used by benchmarks and scale tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.loader import YAML_RE
from lifelong.sample import KIND_DIRS, LECTURE_HALL, kind_counts, write_sample

CATALOGUE = Path(__file__).parents[1] / "catalogue"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_300_entries_validate_with_every_kind_in_real_proportions(tmp_path: Path) -> None:
    counts = write_sample(tmp_path, 300, catalogue_dir=CATALOGUE, seed=1)

    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")  # no problems
    assert counts == {kind: len(catalogue.by_kind[kind]) for kind in KIND_DIRS}
    assert sum(counts.values()) == len(catalogue.entries) == 300
    assert all(counts[kind] >= 1 for kind in KIND_DIRS)
    assert 0.82 <= counts["course"] / 300 <= 0.92
    assert 0.08 <= counts["ebook"] / 300 <= 0.12
    assert not catalogue.drafts

    # the lecture-hall section has its series and lectures in it
    hall = next(s for s in catalogue.rules.sections if s.slug == "lecture-hall")
    assert catalogue.by_id[LECTURE_HALL].kind == "series"
    assert any(e.kind == "lecture" for e in catalogue.in_section(hall))
    # mostly distinct titles, about 40% with an English title, people shared by entries
    titles = [e.title for e in catalogue.entries]
    assert len(set(titles)) >= 0.98 * len(titles)
    assert 0.3 <= sum(bool(e.title_en) for e in catalogue.entries) / 300 <= 0.5
    assert len(catalogue.people) < counts["course"] / 5
    # e-books: most have an ISBN (the validator checked their check digits)
    books = catalogue.by_kind["ebook"]
    assert sum(bool(b.get("isbn")) for b in books) >= 0.6 * len(books)
    # nothing local: no covers, every file and video is a web address
    assert all(e.cover is None for e in catalogue.entries)
    # the pages, and the rules copied
    index = (tmp_path / "content" / "index.md").read_text(encoding="utf-8")
    assert index.startswith("---\ntitle: 终身学习资源目录\n---\n")
    about = (tmp_path / "content" / "about.md").read_text(encoding="utf-8")
    assert about.startswith("---\ntitle: 关于\n---\n")
    assert (tmp_path / "catalogue" / "fields.yml").read_bytes() == \
        (CATALOGUE / "fields.yml").read_bytes()


def test_front_matter_reads_the_same_with_plain_yaml(tmp_path: Path) -> None:
    """MkDocs reads the front matter with yaml.SafeLoader: titles and summaries stay text."""
    write_sample(tmp_path, 120, catalogue_dir=CATALOGUE, seed=3)
    for path in sorted((tmp_path / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert "\r" not in text
        match = YAML_RE.match(text)
        assert match, path
        meta = yaml.safe_load(match.group(1))
        for key in ("title", "title_en", "summary", "name", "organiser", "provider"):
            assert key not in meta or isinstance(meta[key], str), (path, key)


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = write_sample(tmp_path / "a", 250, catalogue_dir=CATALOGUE, seed=7)
    second = write_sample(tmp_path / "b", 250, catalogue_dir=CATALOGUE, seed=7)
    assert first == second
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert list(a) == list(b)
    assert a == b
    write_sample(tmp_path / "c", 250, catalogue_dir=CATALOGUE, seed=8)
    assert tree(tmp_path / "c") != a


@pytest.mark.parametrize("entries", [9, 10, 50])
def test_small_catalogues_have_every_kind_and_validate(tmp_path: Path, entries: int) -> None:
    counts = write_sample(tmp_path, entries, catalogue_dir=CATALOGUE)
    assert counts == kind_counts(entries)
    assert all(n >= 1 for n in counts.values())
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    assert {kind: len(found) for kind, found in catalogue.by_kind.items()} == counts
    assert any(e.series == LECTURE_HALL for e in catalogue.by_kind["lecture"])


@pytest.mark.parametrize("entries", [0, 1, 3, 5, 8])
def test_fewer_entries_than_kinds_still_validate(tmp_path: Path, entries: int) -> None:
    counts = write_sample(tmp_path, entries, catalogue_dir=CATALOGUE)
    assert sum(counts.values()) == entries
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    assert len(catalogue.entries) == entries


def test_kind_counts_at_full_scale() -> None:
    assert kind_counts(90_000) == {"course": 75_420, "ebook": 9_000, "lecture": 1_080,
                                   "series": 360, "star": 180, "project": 180,
                                   "teacher": 2_250, "centre": 540, "activity": 990}
    with pytest.raises(ValueError, match="entries"):
        kind_counts(-1)


def test_refuses_a_non_empty_content_folder(tmp_path: Path) -> None:
    (tmp_path / "content" / "courses").mkdir(parents=True)
    (tmp_path / "content" / "courses" / "mine.md").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"content.*not empty"):
        write_sample(tmp_path, 20, catalogue_dir=CATALOGUE)
    assert tree(tmp_path) == {"content/courses/mine.md": b"keep me"}


def test_an_empty_content_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    assert sum(write_sample(tmp_path, 10, catalogue_dir=CATALOGUE).values()) == 10


def test_refuses_an_existing_catalogue_copy(tmp_path: Path) -> None:
    (tmp_path / "catalogue").mkdir()
    with pytest.raises(FileExistsError, match="catalogue"):
        write_sample(tmp_path, 10, catalogue_dir=CATALOGUE)
    assert not (tmp_path / "content").exists()


def test_reading_many_entries_shows_progress(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Thousands of files are read by every core, with a few progress lines in a log."""
    write_sample(tmp_path, 2400, catalogue_dir=CATALOGUE, seed=5)
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    assert len(catalogue.entries) + len(catalogue.drafts) == 2400
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Reading entries"] * 4
    assert lines[-1].startswith("Reading entries: 2,400/2,400 (100%) in ")


def test_teachers_centres_activities_and_marks_as_the_platform_has_them(
        tmp_path: Path) -> None:
    """Checked as `lifelong check` checks (load_catalogue raises on any problem), then the
    proportions and links the benchmarks rely on."""
    counts = write_sample(tmp_path, 6000, catalogue_dir=CATALOGUE, seed=2)
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    teachers, centres = catalogue.by_kind["teacher"], catalogue.by_kind["centre"]
    activities, courses = catalogue.by_kind["activity"], catalogue.by_kind["course"]
    assert 2 <= 100 * len(teachers) / counts["course"] <= 4  # a few per hundred courses
    # the busiest people on courses have profiles; two people of one name are two people
    profiles = [p for p in catalogue.people if p.teacher is not None]
    assert sum(any(e.kind == "course" for e in p.entries) for p in profiles) >= \
        0.4 * len(teachers)
    namesakes = [t for t in teachers if sum(o.title == t.title for o in teachers) > 1]
    assert len(namesakes) == 2
    people = [catalogue.person_of(t.id) for t in namesakes]
    assert all(people)
    assert len({p.slug for p in people if p}) == 2
    assert all(t.id in a.get("teachers") for t in namesakes
               for a in catalogue.activities_of[t.id])  # named by id, not by name
    # centres: every province and every type, in their cities
    provinces = set(catalogue.rules.vocabularies["regions"].terms) - {"national"}
    assert {c.get("region") for c in centres} == provinces
    assert {c.get("centre_type") for c in centres} == \
        set(catalogue.rules.vocabularies["centre_types"].terms)
    by_type = {t: sum(c.get("centre_type") == t for c in centres) for t in ("learning-point",
                                                                         "senior-university")}
    assert by_type["learning-point"] > by_type["senior-university"]
    # activities: teachers and centres of the sample, before and after its last day
    assert all(catalogue.teacher_of(name) for a in activities for name in a.get("teachers"))
    assert sum(len(held) for held in catalogue.held_at.values()) > len(activities)  # lectures
    upcoming = sum(a.get("starts").date() > catalogue.date for a in activities)
    assert 0.05 * len(activities) < upcoming < 0.3 * len(activities)
    # marks on a few percent of courses, each meeting its standard's checkable criteria
    marked = [c for c in courses if c.marks]
    assert 0.01 <= len(marked) / len(courses) <= 0.06
    standards = catalogue.rules.standards
    assert {m["standard"] for e in catalogue.entries for m in e.marks} == set(standards)
    assert all(c.holds(e.values) for e in catalogue.entries for m in e.marks
               for c in standards[m["standard"]].criteria)
