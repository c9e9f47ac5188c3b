"""Bad lesson files: each error names file, line and key, and nothing of the course loads."""

import shutil
from pathlib import Path

import pytest

from app.content.loader import CourseInvalid, load_course, load_library
from app.paths import LESSONS_DIR


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A copy of Level 1 reduced to Unit 1, to break in different ways."""
    target = tmp_path / "level1"
    target.mkdir()
    shutil.copy(LESSONS_DIR / "level1" / "u01.yaml", target / "u01.yaml")
    text = (LESSONS_DIR / "level1" / "course.yaml").read_text(encoding="utf-8")
    lines = [("units: [u01]" if line.startswith("units:") else line) for line in text.splitlines()]
    (target / "course.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors_of(course_dir: Path) -> list[str]:
    with pytest.raises(CourseInvalid) as caught:
        load_course(course_dir)
    return [str(e) for e in caught.value.errors]


def test_the_reduced_copy_is_valid(course_dir: Path) -> None:
    assert load_course(course_dir).unit("u01").number == 1


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "      vi: Tôi là người Việt Nam.\n",
            "",
            "u01.yaml:39: dialogue.lines[d04].vi: translation missing",
            id="missing translation",
        ),
        pytest.param(
            "{id: e01, type: meaning, word: v03,",
            "{id: e01, type: meaning, word: v99,",
            "u01.yaml:326: exercises[e01].word: 'v99' is not vocabulary",
            id="unknown vocabulary",
        ),
        pytest.param(
            "    blank: 이에요\n",
            "    blank: 입니다\n",
            "exercises[e05].blank: '입니다' must occur exactly once",
            id="blank not in sentence",
        ),
        pytest.param(
            "    answer: 필리핀 사람이에요.\n",
            "    answer: 한국 사람이에요.\n",
            "exercises[e12].answer: '한국 사람이에요.' is not one of the choices",
            id="answer not a choice",
        ),
        pytest.param(
            "  - id: v02\n",
            "  - id: v01\n",
            "u01.yaml:90: vocabulary[v01]: id 'v01' already used on line 83",
            id="duplicate id",
        ),
        pytest.param(
            "    pos: pronoun\n",
            "    pos: pronnoun\n",
            "vocabulary[v02].pos: 'pronnoun' is not one of",
            id="unknown part of speech",
        ),
        pytest.param(
            '{ko: "안녕하세요? 저는 투예요.",',
            "{ko: 안녕하세요, 저는 투예요.,",
            "unknown key (a comma inside an unquoted flow value?)",
            id="comma in flow value",
        ),
        pytest.param(
            "  - {id: e02, type: meaning",
            "  - {id: e02, type: meening",
            "exercises[e02].type: unknown exercise type 'meening'",
            id="unknown exercise type",
        ),
        pytest.param("dialogue:\n", "dialogue: [\n", "u01.yaml:", id="yaml syntax error"),
    ],
)
def test_a_broken_unit_names_file_line_and_key(
    course_dir: Path, old: str, new: str, expected: str
) -> None:
    edit(course_dir / "u01.yaml", old, new)
    messages = errors_of(course_dir)
    assert any(expected in m for m in messages), messages


def test_a_missing_unit_file_loads_nothing_of_the_course(course_dir: Path) -> None:
    edit(course_dir / "course.yaml", "units: [u01]", "units: [u01, u02]")
    messages = errors_of(course_dir)
    assert any("u02.yaml:0: file not found" in m for m in messages)
    library = load_library(course_dir.parent)
    assert library.courses == () and len(library.failures) == 1


def test_a_file_that_is_not_utf8_is_reported(course_dir: Path) -> None:
    (course_dir / "u01.yaml").write_bytes("id: u01\ntitle: 인사".encode("euc-kr"))
    assert any("not UTF-8" in m for m in errors_of(course_dir))


def test_an_empty_file_is_reported(course_dir: Path) -> None:
    (course_dir / "u01.yaml").write_text("", encoding="utf-8")
    assert any("must be a YAML mapping" in m for m in errors_of(course_dir))


def test_an_item_id_is_never_read_as_indonesian(course_dir: Path) -> None:
    edit(course_dir / "u01.yaml", "    zh-Hans: 名字\n", "    zh-Hans: 名字\n    id-ID: nama\n")
    unit = load_course(course_dir).unit("u01")
    name, person = unit.vocabulary[2], unit.vocabulary[5]
    assert name.ko == "이름" and name.meaning.in_lang("id") == "nama"
    assert "id" not in person.meaning.translations  # its `id: v06` is not a translation
