"""Read the files inside an uploaded .zip, in memory, within limits.

Nothing is written to disk, so odd member names ("../x", "/etc/x") are harmless and only
shown tidied. What matters is memory: a zip bomb declares (or hides) gigabytes behind a few
kilobytes, so the declared sizes are checked before anything is inflated, and each member
is then read in chunks that stop at the limits whatever its header claims.
"""

import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from .extraction import Rejected
from .zipcount import declared_members


def _(message: str) -> str:
    """Marks a message for translation (makemessages finds `_()`); the web layer translates."""
    return message


MB = 1024 * 1024
_CHUNK = 64 * 1024

# Never articles: macOS resource forks and Finder/Explorer files, and hidden dotfiles.
_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_ARCHIVE_EXTENSIONS = frozenset({".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz"})


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 10 * MB
    max_archive_members: int = 1000
    max_uncompressed_bytes: int = 200 * MB


def iter_archive(data: bytes, limits: Limits) -> Iterator[tuple[str, bytes | Rejected]]:
    """Yield (name, content) for each file in the archive, in archive order.

    A member we refuse comes as (name, Rejected); the archive as a whole is refused by raising
    Rejected, before anything is yielded for the checks on its directory, or midway when its
    members turn out to inflate past `max_uncompressed_bytes` despite their declared sizes.
    """
    declared = declared_members(data)
    if declared is not None and declared > limits.max_archive_members:
        raise _too_many(declared, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise Rejected(_("The archive is corrupt or not a zip file.")) from None
    with archive:
        members = archive.infolist()
        _check_directory(members, limits)
        total = 0
        for member in members:
            name = _display_name(member.filename)
            if member.is_dir() or not name or _is_junk(name):
                continue
            if posixpath.splitext(name.lower())[1] in _ARCHIVE_EXTENSIONS:
                yield name, Rejected(_("Archives inside archives are not accepted."))
                continue
            if member.file_size > limits.max_file_bytes:
                yield name, _too_large(limits)
                continue
            content = _read(archive, member, limits, total)
            if isinstance(content, bytes):
                total += len(content)
            yield name, content


def _check_directory(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_archive_members:
        raise _too_many(len(members), limits)
    if any(member.flag_bits & 0x1 for member in members):  # bit 0: encrypted
        raise Rejected(_("The archive is password-protected; please upload it without one."))
    if sum(member.file_size for member in members) > limits.max_uncompressed_bytes:
        raise _bomb(limits)


def _too_many(count: int, limits: Limits) -> Rejected:
    reason = _("The archive holds %(count)d files; at most %(max)d are accepted.")
    return Rejected(reason, params={"count": count, "max": limits.max_archive_members})


def _read(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits, total: int
) -> bytes | Rejected:
    """The member's bytes, or a Rejected; raises Rejected if the archive's total overflows.

    zipfile already stops inflating at the declared size (and then fails the CRC check), so
    these counts only matter if it ever stopped doing so; they cost nothing to keep.
    """
    chunks, size = [], 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if total + size > limits.max_uncompressed_bytes:
                    raise _bomb(limits)
                if size > limits.max_file_bytes:
                    return _too_large(limits)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):  # bad CRC, truncated data
        return Rejected(_("This file is damaged inside the archive."))
    except NotImplementedError:  # compression methods zipfile cannot read (Deflate64...)
        return Rejected(_("This file is compressed in a way we cannot read; re-create the zip."))
    return b"".join(chunks)


def _display_name(filename: str) -> str:
    """The name as shown: "/" separators, no drive letter, no empty, "." or ".." parts."""
    parts = re.sub(r"^[A-Za-z]:", "", filename.replace("\\", "/")).split("/")
    name = "/".join(part for part in parts if part not in ("", ".", ".."))
    # macOS stores decomposed accents; zipfile already read non-UTF-8 names as cp437.
    return unicodedata.normalize("NFC", name)


def _is_junk(name: str) -> bool:
    parts = name.split("/")
    return (
        parts[0] == "__MACOSX"
        or parts[-1] in _JUNK_NAMES
        or any(part.startswith(".") for part in parts)
    )


def _too_large(limits: Limits) -> Rejected:
    reason = _("This file is too large (limit %(mb)g MB).")
    return Rejected(reason, params={"mb": round(limits.max_file_bytes / MB, 1)})


def _bomb(limits: Limits) -> Rejected:
    reason = _("The archive would expand to more than %(mb)g MB; it is refused.")
    return Rejected(reason, params={"mb": round(limits.max_uncompressed_bytes / MB, 1)})
