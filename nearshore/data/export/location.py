"""Where a dataset lives: a local folder or a Hadoop-compatible URI, opened as a pyarrow filesystem.

`s3://`, `s3a://` and `s3n://` go to pyarrow's S3 filesystem (endpoint from the `s3_endpoint` setting, credentials
from the usual AWS variables, bounded timeouts and retries so an unreachable store fails in seconds); `hdfs://`,
`abfs://`, `abfss://` and `gs://` go to pyarrow's filesystem for that scheme. Every filesystem error becomes a
`DatasetError` naming the URI. The Spark writers use the URI as given (Spark's own Hadoop connectors).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from nearshore.errors import DatasetError
from nearshore.settings import Settings

S3_SCHEMES: Final = ("s3", "s3a", "s3n")
OTHER_SCHEMES: Final = ("hdfs", "viewfs", "abfs", "abfss", "gs")
CLIENT_HINTS: Final = {
    "hdfs": "hdfs:// needs Hadoop's libhdfs (ARROW_LIBHDFS_DIR), a Java runtime and the Hadoop CLASSPATH",
    "viewfs": "viewfs:// needs Hadoop's libhdfs (ARROW_LIBHDFS_DIR), a Java runtime and the Hadoop CLASSPATH",
    "abfs": "write the path as abfs://CONTAINER@ACCOUNT.dfs.core.windows.net/PREFIX; credentials come from AZURE_* "
    "variables",
    "abfss": "write the path as abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PREFIX; credentials come from AZURE_* "
    "variables",
    "gs": "gs:// needs Google application credentials (GOOGLE_APPLICATION_CREDENTIALS)",
}
# Seconds for one S3 connection or request, and attempts: an unreachable endpoint fails in well under a minute.
S3_TIMEOUT: Final = 5.0
S3_ATTEMPTS: Final = 2


@dataclass(frozen=True)
class Location:
    """A dataset folder: the URI the user gave, the pyarrow filesystem and the path inside it."""

    uri: str
    fs: Any  # pyarrow.fs.FileSystem
    root: str
    local: bool

    def path(self, *parts: str) -> str:
        return posixpath.join(self.root, *parts)

    def uri_of(self, *parts: str) -> str:
        """The URI of a path below the root, as Spark and the user see it."""
        return posixpath.join(self.uri.rstrip("/"), *parts)

    def relative(self, path: str) -> str:
        return posixpath.relpath(path, self.root)

    @contextmanager
    def io(self, what: str) -> Iterator[None]:
        """Turn filesystem errors inside the block into a DatasetError naming the dataset and what was done."""
        try:
            yield
        except DatasetError:
            raise
        except (OSError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DatasetError(f"{what} {self.uri} failed: {first}; {self._fix()}", file=self.uri) from None

    def _fix(self) -> str:
        if self.local:
            return "check that the folder exists and you may write there"
        scheme = urlsplit(self.uri).scheme
        if scheme in S3_SCHEMES:
            return (
                "check that the bucket exists, the endpoint is reachable (NEARSHORE_S3_ENDPOINT) and the AWS "
                "credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION) are set"
            )
        return f"check that the {scheme}:// service is reachable and its client libraries are configured"

    def exists(self, path: str) -> bool:
        import pyarrow.fs as pafs

        with self.io("reading"):
            return bool(self.fs.get_file_info(path).type != pafs.FileType.NotFound)

    def files(self, path: str) -> list[str]:
        """Every data file below `path` (Spark's and Hadoop's `_` and `.` bookkeeping files left out)."""
        import pyarrow.fs as pafs

        with self.io("listing"):
            infos = self.fs.get_file_info(pafs.FileSelector(path, recursive=True, allow_not_found=True))
        return sorted(
            i.path
            for i in infos
            if i.type == pafs.FileType.File
            and not any(p.startswith(("_", ".")) for p in posixpath.relpath(i.path, path).split("/"))
        )

    def read_text(self, path: str) -> str:
        with self.io("reading"), self.fs.open_input_stream(path) as stream:
            return bytes(stream.read()).decode("utf-8")

    def write_text(self, path: str, text: str) -> None:
        """Write a small file whole: local files through a temporary name and a rename, objects in one PUT."""
        with self.io("writing"):
            target = path if not self.local else path + ".tmp"
            with self.fs.open_output_stream(target) as out:
                out.write(text.encode("utf-8"))
            if self.local:
                self.fs.move(target, path)

    def move_dir(self, source: str, target: str) -> None:
        """Rename a folder (local, HDFS), or copy then delete it where the store cannot rename (object stores)."""
        import pyarrow.fs as pafs

        with self.io("moving data in"):
            self.fs.create_dir(posixpath.dirname(target), recursive=True)
            try:
                self.fs.move(source, target)
            except (OSError, NotImplementedError):
                if not self.exists(source):
                    raise
                pafs.copy_files(source, target, source_filesystem=self.fs, destination_filesystem=self.fs)
                self.fs.delete_dir(source)

    def delete(self, path: str) -> None:
        import pyarrow.fs as pafs

        with self.io("cleaning up"):
            info = self.fs.get_file_info(path)
            if info.type == pafs.FileType.Directory:
                self.fs.delete_dir(path)
            elif info.type == pafs.FileType.File:
                self.fs.delete_file(path)


def resolve(uri: str | Path, settings: Settings | None = None) -> Location:
    """The Location of a local path or URI; an unsupported scheme is a DatasetError listing the supported ones."""
    text = str(uri)
    scheme = urlsplit(text).scheme.lower()
    if scheme in ("", "file") or (len(scheme) == 1 and text[1:2] == ":"):  # plain path (or a Windows drive)
        import pyarrow.fs as pafs

        local = Path(text[len("file://") :] if scheme == "file" else text).expanduser().resolve()
        return Location(str(local), pafs.LocalFileSystem(), local.as_posix(), local=True)
    if scheme in S3_SCHEMES:
        return _s3(text, settings or Settings.load())
    if scheme in OTHER_SCHEMES:
        import pyarrow.fs as pafs

        try:
            fs, root = pafs.FileSystem.from_uri(text.replace("abfss://", "abfs://", 1) if scheme == "abfss" else text)
        except (OSError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0]
            raise DatasetError(f"cannot open {text}: {first}; {CLIENT_HINTS[scheme]}", file=text) from None
        return Location(text, fs, root, local=False)
    supported = ", ".join(f"{s}://" for s in (*S3_SCHEMES, *OTHER_SCHEMES))
    raise DatasetError(
        f"dataset path {text}: unsupported scheme {scheme}://; use a local folder or one of {supported}", file=text
    )


def _s3(uri: str, settings: Settings) -> Location:
    import pyarrow.fs as pafs

    parts = urlsplit(uri)
    if not parts.netloc:
        raise DatasetError(f"dataset path {uri}: no bucket; write it as s3a://BUCKET/PREFIX", file=uri)
    options: dict[str, Any] = {
        "connect_timeout": S3_TIMEOUT,
        "request_timeout": S3_TIMEOUT,
        "retry_strategy": pafs.AwsStandardS3RetryStrategy(max_attempts=S3_ATTEMPTS),
    }
    endpoint = settings.get("s3_endpoint")
    if endpoint:
        endpoint_parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        options["endpoint_override"] = endpoint_parts.netloc
        options["scheme"] = endpoint_parts.scheme
        options.setdefault("region", "us-east-1")  # a custom endpoint has no AWS region to discover
    try:
        fs = pafs.S3FileSystem(**options)
    except (OSError, ValueError) as exc:
        raise DatasetError(f"cannot open {uri}: {exc}", file=uri) from None
    return Location(uri, fs, f"{parts.netloc}{parts.path}".rstrip("/"), local=False)


__all__ = ["Location", "resolve"]
