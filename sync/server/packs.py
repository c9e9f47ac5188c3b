"""Publishing course packs: immutable files plus an index the API serves.

The server checks that a pack is well formed (a manifest whose hashes match its files); it does
not need the signing key, and the app checks the signature against its pinned key anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from app.packs import Manifest, PackRejected, verify_contents
from sync.protocol import PackInfo

__all__ = ["PackRejected", "publish_pack"]


def publish_pack(pack: Path, packs_dir: Path) -> PackInfo:
    manifest: Manifest = verify_contents(pack)
    data = pack.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    name = f"{manifest.course}-{manifest.version}.zip"
    index_path = packs_dir / "index.json"
    index = json.loads(index_path.read_text("utf-8")) if index_path.is_file() else []
    for item in index:
        if item["course"] == manifest.course and item["version"] == manifest.version:
            if item["sha256"] == digest:
                return PackInfo.model_validate(item)  # published before: nothing to do
            raise PackRejected(
                f"{manifest.course} version {manifest.version} is already published with other "
                "content; packs are immutable, publish a new version"
            )
    packs_dir.mkdir(parents=True, exist_ok=True)
    temporary = packs_dir / f".{name}.part"
    shutil.copyfile(pack, temporary)
    os.replace(temporary, packs_dir / name)
    info = PackInfo(
        course=manifest.course,
        version=manifest.version,
        file=name,
        sha256=digest,
        size=len(data),
    )
    index.append(info.model_dump())
    index.sort(key=lambda i: (i["course"], i["version"]))
    staged = packs_dir / ".index.json.part"
    staged.write_text(json.dumps(index, indent=1), "utf-8")
    os.replace(staged, index_path)
    return info
