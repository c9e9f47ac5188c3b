"""Course packs (8): signed, checked file by file, installed atomically, never downgraded."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.content.loader import load_course
from app.packs import PackRejected, PackStore, build_pack, course_files, verify
from app.paths import LESSONS_DIR
from sync.server.packs import publish_pack

KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()


def make(tmp: Path, version: int, key: Ed25519PrivateKey = KEY, name: str = "") -> Path:
    out = tmp / (name or f"hangul-{version}.zip")
    build_pack("hangul", version, course_files(LESSONS_DIR, None, "hangul"), key, out)
    return out


@pytest.fixture
def store(tmp_path: Path) -> PackStore:
    return PackStore(tmp_path / "packs", [KEY.public_key()])


def test_a_pack_installs_and_its_course_loads(store: PackStore, tmp_path: Path) -> None:
    installed = store.install(make(tmp_path, 1))
    assert (installed.course, installed.version) == ("hangul", 1)
    course = load_course(installed.path / "lessons" / "hangul")
    assert course.id == "hangul" and len(course.units) == 8
    # Translation overlays travel with the pack.
    assert any((installed.path / "lessons" / "hangul" / "i18n").iterdir())


def test_a_tampered_pack_is_refused_and_the_active_one_stays(
    store: PackStore, tmp_path: Path
) -> None:
    store.install(make(tmp_path, 1))
    good = make(tmp_path, 2)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "lessons/hangul/u01.yaml":
                data = data.replace("안녕".encode(), "안뇽".encode()) + b"\n# changed\n"
            target.writestr(item, data)
    with pytest.raises(PackRejected, match="was changed after signing"):
        store.install(tampered)
    assert store.current("hangul").version == 1  # type: ignore[union-attr]


def test_a_pack_signed_with_another_key_is_refused(store: PackStore, tmp_path: Path) -> None:
    store.install(make(tmp_path, 1))
    with pytest.raises(PackRejected, match="not from a trusted key"):
        store.install(make(tmp_path, 2, OTHER))
    assert store.current("hangul").version == 1  # type: ignore[union-attr]


def test_an_older_or_equal_pack_is_refused(store: PackStore, tmp_path: Path) -> None:
    store.install(make(tmp_path, 3))
    for version in (2, 3):
        with pytest.raises(PackRejected, match="not newer"):
            store.install(make(tmp_path, version))
    assert store.current("hangul").version == 3  # type: ignore[union-attr]


def test_an_update_keeps_the_previous_version_and_prunes_older(
    store: PackStore, tmp_path: Path
) -> None:
    for version in (1, 2, 3):
        store.install(make(tmp_path, version))
    versions = sorted(p.name for p in (store.root / "hangul").iterdir() if p.is_dir())
    assert versions == ["2", "3"] and store.current("hangul").version == 3  # type: ignore[union-attr]


def test_an_extra_file_or_an_unsigned_pack_is_refused(tmp_path: Path) -> None:
    good = make(tmp_path, 1)
    extra = tmp_path / "extra.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(extra, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("lessons/hangul/u99.yaml", b"id: u99\n")
    with pytest.raises(PackRejected, match="differ from the signed list"):
        verify(extra, [KEY.public_key()])
    with pytest.raises(PackRejected, match="no trusted pack key"):
        verify(good, [])
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    with pytest.raises(PackRejected, match="is not a pack"):
        verify(broken, [KEY.public_key()])


def test_the_same_content_builds_the_same_bytes(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 28, tzinfo=UTC)
    files = course_files(LESSONS_DIR, None, "hangul")
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    build_pack("hangul", 1, files, KEY, a, moment)
    build_pack("hangul", 1, files, KEY, b, moment)
    assert a.read_bytes() == b.read_bytes()


def test_the_server_publishes_packs_immutably(tmp_path: Path) -> None:
    pack = make(tmp_path, 1)
    first = publish_pack(pack, tmp_path / "served")
    assert publish_pack(pack, tmp_path / "served") == first  # the same file again: fine
    assert (tmp_path / "served" / first.file).read_bytes() == pack.read_bytes()
    changed = tmp_path / "changed.zip"
    build_pack(
        "hangul",
        1,
        {"lessons/hangul/course.yaml": LESSONS_DIR / "hangul" / "course.yaml"},
        KEY,
        changed,
    )
    with pytest.raises(PackRejected, match="immutable"):
        publish_pack(changed, tmp_path / "served")
