"""Course packs: a course's lessons and audio in one signed, immutable zip.

    manifest.json   {"format": 1, "course": "level1", "version": 3, "created": "...",
                     "files": {"lessons/level1/u01.yaml": "<sha256>", "audio/ab12….mp3": …}}
    manifest.sig    Ed25519 signature of manifest.json (base64)
    lessons/<course>/…, audio/…

The app trusts only the public keys pinned in assets/pack-keys/*.pub. It refuses a pack whose
signature, file list or any file's hash is wrong, and one that is not newer than the installed
version. Installing is atomic (unpack to a temporary folder, check, rename, then switch the
`current` pointer) and the previous version is kept.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.paths import ASSETS_DIR

FORMAT = 1
KEYS_DIR = ASSETS_DIR / "pack-keys"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"


class PackRejected(Exception):
    """A pack that must not be installed, and why (in words for a person)."""


@dataclass(frozen=True)
class Manifest:
    course: str
    version: int
    created: str
    files: dict[str, str]  # path inside the pack -> sha256

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "course": self.course,
            "version": self.version,
            "created": self.created,
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, indent=1, ensure_ascii=False).encode()

    @staticmethod
    def parse(raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise PackRejected(f"pack format {data.get('format')} is not supported")
            files = data["files"]
            if not isinstance(files, dict):
                raise PackRejected("the manifest's file list is not a mapping")
            return Manifest(str(data["course"]), int(data["version"]), str(data["created"]), files)
        except (ValueError, KeyError, TypeError) as exc:
            raise PackRejected(f"the manifest cannot be read: {exc}") from exc


# -- keys --------------------------------------------------------------------------------


def new_key(out_dir: Path, name: str) -> tuple[Path, Path]:
    """Write a new signing key (keep it secret) and its public key (pin it in the app)."""
    key = Ed25519PrivateKey.generate()
    out_dir.mkdir(parents=True, exist_ok=True)
    private = out_dir / f"{name}.pem"
    public = out_dir / f"{name}.pub"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private.chmod(0o600)
    public.write_text(public_text(key.public_key()) + "\n", encoding="ascii")
    return private, public


def public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def load_private(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return key


def trusted_keys(keys_dir: Path = KEYS_DIR) -> list[Ed25519PublicKey]:
    """The pinned public keys (base64, one per .pub file)."""
    found = []
    for path in sorted(keys_dir.glob("*.pub")) if keys_dir.is_dir() else []:
        raw = base64.b64decode(path.read_text(encoding="ascii").strip())
        found.append(Ed25519PublicKey.from_public_bytes(raw))
    return found


# -- building ----------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_pack(
    course: str,
    version: int,
    files: dict[str, Path],
    key: Ed25519PrivateKey,
    out: Path,
    now: datetime | None = None,
) -> Manifest:
    """Write a signed pack with `files` (path inside the pack -> file on disk)."""
    contents = {name: path.read_bytes() for name, path in sorted(files.items())}
    manifest = Manifest(
        course,
        version,
        (now or datetime.now(UTC)).isoformat(),
        {name: _sha256(data) for name, data in contents.items()},
    )
    raw = manifest.to_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_suffix(".tmp")
    fixed = (2026, 1, 1, 0, 0, 0)  # same bytes for the same content
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(MANIFEST, fixed), raw)
        archive.writestr(zipfile.ZipInfo(SIGNATURE, fixed), base64.b64encode(key.sign(raw)))
        for name, data in contents.items():
            info = zipfile.ZipInfo(name, fixed)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    temporary.replace(out)
    return manifest


def course_files(lessons_dir: Path, audio_dir: Path | None, course: str) -> dict[str, Path]:
    """A course's lesson files (with translation overlays) and the audio clips it uses."""
    files = {
        f"lessons/{course}/{p.relative_to(lessons_dir / course).as_posix()}": p
        for p in sorted((lessons_dir / course).rglob("*.yaml"))
    }
    if audio_dir is not None and (audio_dir / "index.json").is_file():
        from app.media.cache import Index

        index = Index.load(audio_dir)
        subset = Index(
            {slot: e for slot, e in index.phrases.items() if course in e.courses},
            {slot: e for slot, e in index.dialogues.items() if slot[1].startswith(f"{course}/")},
        )
        for name in sorted(subset.files()):
            if (audio_dir / name).is_file():
                files[f"audio/{name}"] = audio_dir / name
        staging = Path(tempfile.mkdtemp(prefix="pack-index-"))
        subset.save(staging)
        files["audio/index.json"] = staging / "index.json"
    return files


# -- checking and installing -------------------------------------------------------------


def verify(pack: Path, keys: Iterable[Ed25519PublicKey]) -> Manifest:
    """The pack's manifest if it is signed by a pinned key and every file matches it."""
    return _check(pack, list(keys), signed=True)


def verify_contents(pack: Path) -> Manifest:
    """The manifest if every file matches it (the signature is left to the app)."""
    return _check(pack, [], signed=False)


def _check(pack: Path, keys: list[Ed25519PublicKey], signed: bool) -> Manifest:
    try:
        archive = zipfile.ZipFile(pack)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackRejected(f"{pack.name} is not a pack: {exc}") from exc
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names or SIGNATURE not in names:
            raise PackRejected(f"{pack.name} has no signed manifest")
        raw = archive.read(MANIFEST)
        if signed:
            _check_signature(pack, raw, base64.b64decode(archive.read(SIGNATURE)), keys)
        manifest = Manifest.parse(raw)
        listed = set(manifest.files)
        extra = names - listed - {MANIFEST, SIGNATURE}
        if extra or listed - names:
            raise PackRejected(f"{pack.name}: its files differ from the signed list")
        for name, digest in manifest.files.items():
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts:
                raise PackRejected(f"{pack.name}: unsafe path {name!r}")
            if _sha256(archive.read(name)) != digest:
                raise PackRejected(f"{pack.name}: {name} was changed after signing")
    return manifest


def _check_signature(
    pack: Path, raw: bytes, signature: bytes, keys: list[Ed25519PublicKey]
) -> None:
    if not keys:
        raise PackRejected("no trusted pack key is pinned in this app")
    for key in keys:
        try:
            key.verify(signature, raw)
            return
        except InvalidSignature:
            continue
    raise PackRejected(f"{pack.name}: the signature is not from a trusted key")


@dataclass(frozen=True)
class Installed:
    course: str
    version: int
    path: Path  # the unpacked pack: lessons/<course>/…, audio/…


class PackStore:
    """Installed packs under `root`/<course>/<version>/, with `current` naming the active one."""

    def __init__(self, root: Path, keys: Iterable[Ed25519PublicKey] | None = None) -> None:
        self.root = root
        self.keys = list(keys) if keys is not None else trusted_keys()

    def current(self, course: str) -> Installed | None:
        pointer = self.root / course / "current"
        if not pointer.is_file():
            return None
        version = int(pointer.read_text(encoding="ascii").strip())
        return Installed(course, version, self.root / course / str(version))

    def current_version(self, course: str) -> int | None:
        found = self.current(course)
        return found.version if found is not None else None

    def installed(self) -> list[Installed]:
        found = []
        for folder in sorted(self.root.iterdir()) if self.root.is_dir() else []:
            current = self.current(folder.name)
            if current is not None:
                found.append(current)
        return found

    def install(self, pack: Path) -> Installed:
        """Check and install `pack`; the active version changes only if all is well."""
        manifest = verify(pack, self.keys)
        active = self.current(manifest.course)
        if active is not None and manifest.version <= active.version:
            raise PackRejected(
                f"{manifest.course} version {manifest.version} is not newer than the installed "
                f"version {active.version}"
            )
        course_dir = self.root / manifest.course
        course_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=course_dir))
        try:
            with zipfile.ZipFile(pack) as archive:
                for name in manifest.files:
                    target = staging / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(name))
            final = course_dir / str(manifest.version)
            if final.exists():
                shutil.rmtree(final)  # a half-finished earlier attempt, never the active one
            staging.rename(final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        pointer = course_dir / "current.tmp"
        pointer.write_text(str(manifest.version), encoding="ascii")
        os.replace(pointer, course_dir / "current")  # the switch: atomic
        self._prune(course_dir, keep={manifest.version, active.version if active else -1})
        return Installed(manifest.course, manifest.version, final)

    @staticmethod
    def _prune(course_dir: Path, keep: set[int]) -> None:
        """Keep the active and the previous version; remove older ones."""
        for child in course_dir.iterdir():
            if child.is_dir() and child.name.isdigit() and int(child.name) not in keep:
                shutil.rmtree(child, ignore_errors=True)
