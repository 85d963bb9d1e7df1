"""The backup file: a tar archive (gzip-compressed or not: readers tell by its first bytes) with these members:

- ``database.sqlite`` (a copy made by SQLite's online backup) or ``database.pgdump`` (``pg_dump -Fc``);
- ``uploads/...``: every file of ``UPLOAD_FOLDER``;
- ``manifest.json``, last: what the archive holds, and the SHA-256 of every other member.

The archive is written under a temporary name beside PATH, readable by its owner only (it holds
personal data), and renamed to PATH once complete: PATH is never a half-written backup. Reading
checks every member against the manifest and refuses anything else (a damaged or altered file,
a member outside the archive's own folder, a link).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

FORMAT = "engage-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made, read or restored; the message tells the operator why."""


@dataclass(frozen=True)
class Contents:
    """The files that go into an archive besides its manifest."""

    database_file: Path
    database_member: str
    uploads: Path


class _Hashing(io.RawIOBase):
    """Reads through to ``source`` and hashes what was read."""

    def __init__(self, source: BinaryIO):
        self.source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> tuple[str, int] | None:
    """Add one file; its SHA-256 and size, or None if it went away before it could be read."""
    try:
        source = path.open("rb")
    except FileNotFoundError:  # an upload deleted meanwhile: it is no longer part of the site
        return None
    with source:
        stat = os.fstat(source.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        hashing = _Hashing(source)
        tar.addfile(info, hashing)
        return hashing.digest.hexdigest(), stat.st_size


def _upload_files(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under ``folder`` with its member name, in a stable order; links are skipped."""
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path, str(PurePosixPath(UPLOADS, path.relative_to(folder).as_posix()))


def write(path: Path, manifest: dict, contents: Contents, *, compress: bool = True) -> dict:
    """Write the archive to ``path`` (mode 0600, in place only once complete); the manifest written.

    ``manifest`` is completed with the members' checksums and the uploads' count and size."""
    path = path.absolute()
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    checksums: dict[str, str] = {}
    files = total = 0
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            # Level 1: a city's SQLite copy in about half the time of level 6, 12% larger (README, "Backups").
            mode, options = ("w:gz", {"compresslevel": 1}) if compress else ("w", {})
            with tarfile.open(fileobj=raw, mode=mode, format=tarfile.PAX_FORMAT, **options) as tar:
                added = _add_file(tar, contents.database_file, contents.database_member)
                if added is None:
                    raise BackupError(f"the database copy {contents.database_file} disappeared")
                checksums[contents.database_member] = added[0]
                for upload, name in _upload_files(contents.uploads):
                    added = _add_file(tar, upload, name)
                    if added is not None:
                        checksums[name] = added[0]
                        files, total = files + 1, total + added[1]
                manifest = {**manifest, "uploads": {"files": files, "bytes": total}, "members": checksums}
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(os.path.getmtime(partial)), 0o600
                tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
        _sync_folder(path.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _safe_name(member: tarfile.TarInfo) -> str:
    """The member's name if it is a plain file this format writes; otherwise refuse the archive."""
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts or not name.parts:
        raise BackupError(f"the archive holds an unexpected member {member.name!r}: not an Engage backup")
    top_level = len(name.parts) == 1 and (str(name) == MANIFEST or str(name).startswith("database."))
    upload = len(name.parts) > 1 and name.parts[0] == UPLOADS
    if not (top_level or upload):
        raise BackupError(f"the archive holds an unexpected member {member.name!r}: not an Engage backup")
    return str(name)


def _copy_member(source: BinaryIO, target: Path | None) -> str:
    """Hash the member's bytes, writing them to ``target`` if given; the SHA-256."""
    digest = hashlib.sha256()
    out = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        out = open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return digest.hexdigest()


def read(path: Path, into: Path | None = None) -> dict:
    """Check every member of the archive against its manifest; the manifest.

    With ``into``, the members are also unpacked there (``into`` should be empty). Raises
    :class:`BackupError` when the file is damaged, altered, incomplete or not an Engage backup."""
    seen: dict[str, str] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, mode="r|*") as tar:
            for member in tar:
                name = _safe_name(member)
                if name in seen or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"the archive holds {name!r} twice: not an Engage backup")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                seen[name] = _copy_member(source, into / name if into is not None else None)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{path} is damaged or incomplete ({exc or type(exc).__name__})") from exc
    manifest = _parse_manifest(path, manifest_bytes)
    expected = manifest["members"]
    for name, checksum in expected.items():
        if name not in seen:
            raise BackupError(f"{path} is incomplete: {name} is missing")
        if seen[name] != checksum:
            raise BackupError(f"{path} is damaged: the checksum of {name} does not match its manifest")
    extra = sorted(set(seen) - set(expected))
    if extra:
        raise BackupError(f"{path} holds files its manifest does not list ({', '.join(extra[:3])}): refused")
    return manifest


def _parse_manifest(path: Path, data: bytes | None) -> dict:
    if data is None:
        raise BackupError(f"{path} has no {MANIFEST}: it is incomplete or not an Engage backup")
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError(f"the {MANIFEST} of {path} is not valid JSON: the file is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not an Engage backup")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(f"{path} was written in backup format {version}, newer than this Engage reads "
                          f"({FORMAT_VERSION}): restore it with the version of Engage that made it")
    for key, kind in (("members", dict), ("tables", dict), ("uploads", dict), ("database", str), ("dialect", str),
                      ("revision", str), ("created_at", str)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"the {MANIFEST} of {path} has no valid {key!r}: the file is damaged")
    counts = [*manifest["tables"].values(), manifest["uploads"].get("files"), manifest["uploads"].get("bytes")]
    if not all(isinstance(n, int) for n in counts):
        raise BackupError(f"the {MANIFEST} of {path} has counts that are not numbers: the file is damaged")
    if manifest["database"] not in manifest["members"]:
        raise BackupError(f"the {MANIFEST} of {path} does not list its database: the file is damaged")
    return manifest
