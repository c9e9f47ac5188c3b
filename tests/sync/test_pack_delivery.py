"""Course packs travel from the platform to the app: catalog, ETag, Range resume, install."""

from __future__ import annotations

from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.packs import PackStore, build_pack, course_files
from app.paths import LESSONS_DIR
from sync.client import SyncClient
from sync.server.packs import publish_pack
from tests.sync.helpers import HEADERS, Database, Server, device, signed_in

KEY = Ed25519PrivateKey.generate()


def test_the_app_downloads_resumes_and_installs_a_newer_pack(
    db: Database, server: Server, tmp_path: Path
) -> None:
    pack = tmp_path / "hangul-2.zip"
    build_pack("hangul", 2, course_files(LESSONS_DIR, None, "hangul"), KEY, pack)
    info = publish_pack(pack, tmp_path / "packs")  # the folder the server serves

    catalog = httpx.get(f"{server.url}/v1/catalog", headers=HEADERS).json()
    assert catalog["courses"] == [info.model_dump()]
    whole = httpx.get(f"{server.url}/v1/packs/{info.file}", headers=HEADERS)
    assert whole.headers["ETag"] == f'"{info.sha256}"' and whole.content == pack.read_bytes()
    part = httpx.get(
        f"{server.url}/v1/packs/{info.file}", headers={**HEADERS, "Range": "bytes=100-199"}
    )
    assert part.status_code == 206 and part.content == pack.read_bytes()[100:200]

    name, _ = db.learner()
    packs = PackStore(tmp_path / "phone-packs", [KEY.public_key()])
    store = device(tmp_path, "phone")
    client = signed_in(store, server, name, packs=packs)
    # An interrupted earlier download: the first 1000 bytes are already here.
    downloads = packs.root / ".downloads"
    downloads.mkdir(parents=True)
    (downloads / f"{info.file}.part").write_bytes(pack.read_bytes()[:1000])
    report = client.sync()
    assert report.packs == ("hangul v2",) and report.pack_problems == ()
    assert packs.current_version("hangul") == 2
    assert SyncClient(store, packs=packs).sync().packs == ()  # nothing newer: nothing fetched


def test_a_pack_signed_by_another_key_is_refused_during_sync(
    db: Database, server: Server, tmp_path: Path
) -> None:
    pack = tmp_path / "hangul-3.zip"
    build_pack(
        "hangul", 3, course_files(LESSONS_DIR, None, "hangul"), Ed25519PrivateKey.generate(), pack
    )
    publish_pack(pack, tmp_path / "packs")
    name, _ = db.learner()
    packs = PackStore(tmp_path / "phone-packs", [KEY.public_key()])
    client = signed_in(device(tmp_path, "phone"), server, name, packs=packs)
    report = client.sync()
    assert report.packs == ()
    assert "not from a trusted key" in report.pack_problems[0]
    assert packs.current_version("hangul") is None
