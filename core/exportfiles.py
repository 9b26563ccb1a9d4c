"""Exports served as files: each built once per content version and filter, then streamed from
EXPORT_CACHE_DIR to as many readers as ask, with an ETag and Last-Modified (304 on a match).

Building is what costs (seconds and a CPU core at 100,000 practices), so at most
EXPORT_BUILDS_AT_ONCE exports are built at once by all the server processes sharing the
directory: a slot is a lock file held with flock, which the system releases if its process dies.
Past that bound, a request for an export not built yet gets 429 with Retry-After; a file already
built is always served. While an export is being built, a request for the same export gets 429
too, at once: it neither builds it again nor holds a server thread or a slot waiting. A build
reads the database outside any transaction, so no page waits behind it.

Each export is kept plain and gzipped (compressed once, at build time, rather than by
GZipMiddleware for every download); a client that accepts gzip gets the compressed file.
A file is written under a temporary name and renamed into place, so readers see all of it or
nothing. After each build, the files of older content versions go, and at most
EXPORT_CACHE_FILES are kept (the oldest go first), whatever filters are asked for.
"""

import fcntl
import gzip
import logging
import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _

from .cache import versioned

logger = logging.getLogger(__name__)
BUILT_NAME = re.compile(r"^(\d+)-[0-9a-f]{40}\.\w+(\.gz)?$")
LOCK_SUFFIX = ".lock"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
TEMPORARY_PREFIX = ".building-"
ABANDONED_SECONDS = 3600  # A temporary file this old was left by a build that died.


class AllSlotsTaken(Exception):
    """Every build slot is held by a build in progress."""


class BeingBuilt(Exception):
    """The export asked for is being built by another request."""


def export_dir():
    path = Path(getattr(settings, "EXPORT_CACHE_DIR", Path(settings.BASE_DIR) / "var" / "exports"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def builds_at_once():
    return max(1, getattr(settings, "EXPORT_BUILDS_AT_ONCE", 2))


def retry_after():
    return getattr(settings, "EXPORT_RETRY_AFTER", 10)


def files_kept():
    return getattr(settings, "EXPORT_CACHE_FILES", 200)


@contextmanager
def build_slot():
    """Hold one of the EXPORT_BUILDS_AT_ONCE build slots for the block; AllSlotsTaken when
    every slot is held (by this process or another)."""
    folder = export_dir()
    for number in range(builds_at_once()):
        handle = open(folder / f"slot-{number}.lock", "a")  # noqa: SIM115 (held past the loop)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield
        finally:
            handle.close()  # Closing releases the lock.
        return
    raise AllSlotsTaken


@contextmanager
def same_export_lock(path):
    """Hold the lock of the export at `path` for the block; BeingBuilt if another build holds it.
    Each export has a lock file of its own, which goes with its version's files (prune)."""
    with open(lock_file(path), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BeingBuilt from None
        yield


def opened(path):
    try:
        return open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:
        return None


def gzipped(path):
    return path.with_name(path.name + ".gz")


def lock_file(path):
    return path.with_name(path.name + LOCK_SUFFIX)


class Both:
    """A file-like object that writes to two files."""

    def __init__(self, one, other):
        self.one, self.other = one, other

    def write(self, data):
        self.one.write(data)
        self.other.write(data)


def temporary(folder):
    return tempfile.NamedTemporaryFile("wb", dir=folder, prefix=TEMPORARY_PREFIX, delete=False)


def built(path, build, version):
    """Build the file at `path` and its gzipped copy with build(binary file); then prune. The
    plain file is renamed into place last: once it is there, both are."""
    with temporary(path.parent) as plain, temporary(path.parent) as packed:
        try:
            with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=6, mtime=0) as zipped:
                build(Both(plain, zipped))
        except BaseException:
            os.unlink(plain.name)
            os.unlink(packed.name)
            raise
    os.replace(packed.name, gzipped(path))
    os.replace(plain.name, path)
    prune(path.parent, version)


def prune(folder, version):
    """Remove the files (and lock files) of content versions older than `version`, temporary
    files of builds that died, and, past EXPORT_CACHE_FILES exports, the least recently built."""
    kept = []
    now = time.time()
    for entry in os.scandir(folder):
        try:
            name = entry.name.removesuffix(LOCK_SUFFIX)
            match = BUILT_NAME.match(name)
            if match and int(match[1]) < version:
                os.unlink(entry.path)
            elif match and not match[2] and name == entry.name:
                kept.append((entry.stat().st_mtime, Path(entry.path)))
            elif entry.name.startswith(TEMPORARY_PREFIX):
                if now - entry.stat().st_mtime > ABANDONED_SECONDS:
                    os.unlink(entry.path)
        except FileNotFoundError:  # Another process pruned it first.
            continue
    for _mtime, path in sorted(kept)[: max(0, len(kept) - files_kept())]:
        for name in (path, gzipped(path), lock_file(path)):
            try:
                os.unlink(name)
            except FileNotFoundError:
                pass


def try_again_soon(being_built=False):
    """429 with Retry-After, in plain text: the export cannot be built now (every slot is taken,
    or another request is building it), but can soon. Not 503: a load balancer may count 5xx
    answers against the server's health."""
    seconds = retry_after()
    if being_built:
        text = _("This export is being prepared. Please try again in %(seconds)s seconds.")
    else:
        text = _(
            "Too many exports are being prepared at the moment. "
            "Please try again in %(seconds)s seconds."
        )
    response = HttpResponse(
        text % {"seconds": seconds},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    patch_cache_control(response, no_store=True)
    return response


def with_validators(response, etag, last_modified):
    """The headers of an export anyone may keep; plain or gzipped by the Accept-Encoding."""
    patch_vary_headers(response, ["Accept-Encoding"])
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=getattr(settings, "HTTP_MAX_AGE", 0))
    return response


def served_export(request, *, parts, build, content_type, filename):
    """The response for an export named by `parts` (a repr-able value: the export, its format,
    the validated filter, the host its links name) under the current content version, built by
    build(binary file) if no file holds it yet."""
    found = versioned("atlas:export:", parts)
    if found is None:
        return unversioned_export(build, content_type, filename)
    version, key = found
    digest = key.rsplit(":", 1)[1]
    packed = bool(ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")))
    etag = f'"{version}-{digest[:16]}{"-gz" if packed else ""}"'
    last_modified = version // 1_000_000_000
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return with_validators(not_modified, etag, last_modified)
    path = export_dir() / f"{version}-{digest}{Path(filename).suffix}"
    if not path.exists():
        try:
            with same_export_lock(path), build_slot():
                if not path.exists():
                    built(path, build, version)
        except AllSlotsTaken:
            return try_again_soon()
        except BeingBuilt:
            return try_again_soon(being_built=True)
    handle = opened(gzipped(path) if packed else path)
    if handle is None:  # Pruned since, as a newer version was built: that is for next time.
        return try_again_soon()
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=filename
    )
    if packed:
        response["Content-Encoding"] = "gzip"  # So GZipMiddleware leaves it as it is.
    return with_validators(response, etag, last_modified)


def unversioned_export(build, content_type, filename):
    """When the content version cannot be read, an export built for this request alone (still
    within the bound on builds), in a file that goes when it is closed."""
    logger.warning("No content version: building an export that will not be kept.")
    try:
        with build_slot():
            handle = tempfile.TemporaryFile(dir=export_dir())  # noqa: SIM115
            build(handle)
            handle.seek(0)
    except AllSlotsTaken:
        return try_again_soon()
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=filename
    )
    patch_cache_control(response, no_store=True)
    return response
