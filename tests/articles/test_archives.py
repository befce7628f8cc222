import io
import struct
import zipfile

import pytest

from annotator.articles.archives import Limits, iter_archive
from annotator.articles.extraction import Extracted, Rejected, extract
from tests.factories import make_zip

MB = 1024 * 1024
ARTICLE = "La foire aux oies de Brive est annulée\n\nLe comité l’a annoncé jeudi.".encode()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"


def patch_central_entry(data, index=0, *, flags=None, size=None):
    """Rewrite what the central directory declares about one member (as a forger would)."""
    data = bytearray(data)
    offset = -1
    for _ in range(index + 1):
        offset = data.index(b"PK\x01\x02", offset + 1)
    if flags is not None:
        struct.pack_into("<H", data, offset + 8, flags)
    if size is not None:
        struct.pack_into("<I", data, offset + 24, size)
    return bytes(data)


def collect(data, limits=None):
    """Every yielded pair, and the Rejected raised for the whole archive if any."""
    got = []
    try:
        for item in iter_archive(data, limits or Limits()):
            got.append(item)
    except Rejected as rejected:
        return got, rejected
    return got, None


def test_good_and_bad_files_come_out_in_archive_order_and_junk_is_skipped():
    data = make_zip(
        [
            ("articles/", b""),
            ("articles/foire.txt", ARTICLE),
            ("articles/photo.txt", PNG),
            ("__MACOSX/articles/._foire.txt", b"\x00\x05\x16\x07"),
            ("articles/vide.txt", b""),
            ("articles/.DS_Store", b"\x00\x00\x00\x01Bud1"),
            ("articles/anciens.zip", make_zip([("vieux.txt", ARTICLE)])),
            (".cache/brouillon.txt", ARTICLE),
            ("Thumbs.db", b"\xd0\xcf\x11\xe0"),
            ("programme.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ]
    )
    got, whole = collect(data)
    assert whole is None
    assert [name for name, _ in got] == [
        "articles/foire.txt",
        "articles/photo.txt",
        "articles/vide.txt",
        "articles/anciens.zip",
        "programme.exe",
    ]
    contents = dict(got)
    assert contents["articles/foire.txt"] == ARTICLE
    assert contents["articles/photo.txt"] == PNG
    assert contents["articles/vide.txt"] == b""
    assert str(contents["articles/anciens.zip"]) == "Archives inside archives are not accepted."

    # What the upload makes of them: one article, and a reason for each of the others.
    (article,) = extract("foire.txt", contents["articles/foire.txt"])
    assert isinstance(article, Extracted)
    assert article.title == "La foire aux oies de Brive est annulée"
    for name, reason in [
        ("articles/photo.txt", "not text: it looks like a PNG image"),
        ("articles/vide.txt", "The file is empty."),
        ("programme.exe", "not a type of file we accept"),
    ]:
        with pytest.raises(Rejected, match=reason):
            extract(name, contents[name])


@pytest.mark.parametrize("data", [b"", PNG, ARTICLE, make_zip([("a.txt", ARTICLE)])[:-30]])
def test_something_that_is_not_a_zip_is_refused_whole(data):
    got, whole = collect(data)
    assert got == []
    assert str(whole) == "The archive is corrupt or not a zip file."


def test_too_many_members_are_refused_whole():
    data = make_zip([(f"article-{i}.txt", ARTICLE) for i in range(4)])
    assert len(collect(data, Limits(max_archive_members=4))[0]) == 4
    got, whole = collect(data, Limits(max_archive_members=3))
    assert got == []
    assert "at most 3" in str(whole)


def test_the_member_count_is_read_from_the_end_record_before_the_directory():
    # The directory's entries are unreadable: only the end record's count can refuse it.
    data = make_zip([(f"article-{i}.txt", ARTICLE) for i in range(4)]).replace(
        b"PK\x01\x02", b"XX\x01\x02"
    )
    got, whole = collect(data, Limits(max_archive_members=3))
    assert got == []
    assert str(whole) == "The archive holds 4 files; at most 3 are accepted."


def test_a_zip_bomb_declaring_300_mb_is_refused_before_anything_is_inflated():
    # The member really holds a few bytes: only the declared size can have refused it.
    data = patch_central_entry(make_zip([("bombe.txt", ARTICLE)]), size=300 * MB)
    got, whole = collect(data)
    assert got == []
    assert str(whole) == "The archive would expand to more than 200 MB; it is refused."


def test_a_real_zip_bomb_is_refused_before_any_member_is_returned():
    zeros = bytes(3 * MB)
    data = make_zip([("zeros-1.txt", zeros), ("zeros-2.txt", zeros)])
    assert len(data) < 50_000
    got, whole = collect(data, Limits(max_uncompressed_bytes=5 * MB))
    assert got == []
    assert "more than 5 MB" in str(whole)


def test_a_member_lying_about_its_size_is_not_inflated_past_what_it_declares():
    data = make_zip([("menteur.txt", bytes(3 * MB)), ("foire.txt", ARTICLE)])
    data = patch_central_entry(data, 0, size=1000)
    got, whole = collect(data, Limits(max_file_bytes=1 * MB, max_uncompressed_bytes=2 * MB))
    assert whole is None
    assert [name for name, _ in got] == ["menteur.txt", "foire.txt"]
    assert str(got[0][1]) == "This file is damaged inside the archive."
    assert got[1][1] == ARTICLE


def test_reading_stops_at_the_limits_even_if_a_member_inflates_past_its_declared_size(
    monkeypatch,
):
    # zipfile itself stops at the declared size; this guards against that ever changing.
    data = make_zip([("a.txt", ARTICLE), ("b.txt", ARTICLE)])
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, member: io.BytesIO(bytes(3 * MB)))
    got, whole = collect(data, Limits(max_file_bytes=1 * MB))
    assert whole is None
    assert [(name, str(r)) for name, r in got] == [
        ("a.txt", "This file is too large (limit 1 MB)."),
        ("b.txt", "This file is too large (limit 1 MB)."),
    ]
    got, whole = collect(data, Limits(max_file_bytes=4 * MB, max_uncompressed_bytes=5 * MB))
    assert got == [("a.txt", bytes(3 * MB))]
    assert str(whole) == "The archive would expand to more than 5 MB; it is refused."


def test_a_member_over_the_file_limit_is_rejected_alone():
    data = make_zip([("long.txt", ARTICLE * 100), ("foire.txt", ARTICLE)])
    got, whole = collect(data, Limits(max_file_bytes=len(ARTICLE) * 10))
    assert whole is None
    assert isinstance(got[0][1], Rejected)
    assert str(got[0][1]).startswith("This file is too large")
    assert got[1] == ("foire.txt", ARTICLE)


def test_an_encrypted_archive_is_refused_whole():
    data = patch_central_entry(make_zip([("secret.txt", ARTICLE)]), flags=0x1)
    got, whole = collect(data)
    assert got == []
    assert "password" in str(whole)


def test_a_member_with_a_bad_crc_is_rejected_and_the_others_kept():
    data = bytearray(make_zip([("abime.txt", ARTICLE), ("foire.txt", ARTICLE)], zipfile.ZIP_STORED))
    damaged = data.index(ARTICLE)  # stored, so the bytes sit as they are
    data[damaged + 3] ^= 0xFF
    got, whole = collect(bytes(data))
    assert whole is None
    assert str(got[0][1]) == "This file is damaged inside the archive."
    assert got[1] == ("foire.txt", ARTICLE)


def test_member_names_are_shown_tidied():
    data = make_zip(
        [
            ("../../etc/crue.txt", ARTICLE),
            ("/absolu/crue.txt", ARTICLE),
            ("C:\\Users\\Lea\\.\\crue.txt", ARTICLE),
            ("e\u0301te\u0301.txt", ARTICLE),  # decomposed accents, as macOS writes them
        ]
    )
    assert [name for name, _ in collect(data)[0]] == [
        "etc/crue.txt",
        "absolu/crue.txt",
        "Users/Lea/crue.txt",
        "été.txt",
    ]


def test_a_name_in_the_old_dos_code_page_is_read_as_cp437():
    data = make_zip([("XtX.txt", ARTICLE)])
    # Neither UTF-8 nor flagged as such: "été" in code page 437, in both headers.
    data = data.replace(b"XtX.txt", "été.txt".encode("cp437"))
    assert collect(data)[0] == [("été.txt", ARTICLE)]
