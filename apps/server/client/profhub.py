#!/usr/bin/env python3
"""profhub.py: profile a Python program and open the result in profhub.

    python profhub.py run [options] script.py [args...]
    python profhub.py run [options] -m module [args...]
    python profhub.py upload [options] [--merge] FILE...

One file, Python 3.8+ standard library only: fetch it from your profhub server with
`curl -O http://localhost:8080/profhub.py`.

`run` profiles the program with cProfile as `python -m cProfile` does: the program sees the
same sys.argv, runs as `__main__` with its directory first on sys.path (`-m`: the current
directory). Unlike cProfile, it runs in a real `__main__` module (pickle and multiprocessing
find its classes) and its exit code is passed through. Then it uploads the profile, opens the
run in a browser (where one can be started: macOS, Windows, $DISPLAY, $BROWSER) and prints the
link. Options for profhub come before the script; everything after it is the program's.
`upload` uploads .prof files: one run each (one request per file), or one merged run (--merge).

Options: --server URL (else $PROFHUB_URL, else http://localhost:8080), --token T (else
$PROFHUB_TOKEN; sent as `Authorization: Bearer T`), --name N (default for `run`: the script's
file name or `-m module`, never the arguments, which may hold secrets), --label KEY=VALUE
(repeatable; key: 1-64 of A-Z a-z 0-9 _ . : / -, value: up to 500 characters), and for `run`:
--no-open (no browser), -o FILE (keep the .prof, as cProfile's -o), --memory, --no-source,
--hide-args and --no-git-labels (below).

Git labels: when the working directory is in a git work tree, `run` also labels the run
branch, commit (the full hash) and commit-time (the committer date, as `git show -s
--format=%cI HEAD` prints it), so that the runs that share a label value (a series, e.g.
`project=myapp`) are put in commit order. On a detached HEAD, as CI services check out, the
branch is $GITHUB_HEAD_REF or $GITHUB_REF_NAME (GitHub Actions), or $CI_COMMIT_REF_NAME
(GitLab), unless they name a tag. A --label with the same key wins; --no-git-labels records
none of the three. `upload` records none: it cannot know where a file was made.

What `run` sends besides the profile, each part JSON with a formatVersion:
- environment (always): Python version and implementation, platform (system, release,
  machine, host name), the profiler and its clock, the command (script or -m module and its
  arguments; --hide-args sends the script or module alone), the working directory, and the git
  commit, branch and whether tracked files were changed, when the working directory is in a
  git work tree. Taken before the program runs.
- source (unless --no-source): the text of the program's own files, those in the profile that
  are under the working directory and not in the standard library, site-packages,
  dist-packages or a virtualenv; at most 200 files, 512 KB each, 2 MB in all (the largest are
  left out first, and said on stderr).
- memory (with --memory): tracemalloc runs alongside cProfile (slower: the CPU times include
  its overhead, which the run's page says). Peak and final traced bytes, the 500 heaviest lines
  and the 100 heaviest tracebacks of what the program still holds at its end (profhub's,
  cProfile's and tracemalloc's own frames left out).
A part the server does not take (a server older than them takes none) is left out of the
upload, and a message says so.

Output: the program's own output is untouched. profhub's messages go to stderr, prefixed with
"profhub:". The link(s) go to stdout, each alone on its line, after everything else, so that
`link=$(python profhub.py run prog.py | tail -n 1)` captures the link.

Exit codes: 0 done; 2 bad arguments or a file that cannot be read; 3 the server cannot be
reached or failed; 4 the server refused the upload (not a profile, too large, token needed).
`run` exits with the program's own code when it is not 0 (1 for an uncaught exception, as
Python does, 130 for Ctrl-C); the profile is uploaded in every case. A profile that could not
be uploaded is kept in a file, and the message says where.

IPython / Jupyter: with profhub.py importable (e.g. next to the notebook), `%load_ext profhub`
adds `%profhub STATEMENT` and a `%%profhub` cell magic. They profile the code in your
namespace, upload it and print the link; a notebook shows the run below the cell, a terminal
IPython opens it in the browser. Options: --server, --token, --name, --label, -n/--no-open,
--no-git-labels (the git labels are those of the current directory).
"""

import argparse
import binascii
import builtins
import cProfile
import http.client
import io
import json
import os
import re
import shlex
import sys
import tempfile
import types
import urllib.error
import urllib.parse
import urllib.request

if sys.version_info < (3, 8):
    sys.exit("profhub.py needs Python 3.8 or newer (this is %d.%d)" % sys.version_info[:2])

DEFAULT_SERVER = "http://localhost:8080"
# Connecting should be quick; after that a 200 MB upload, or the server converting it, may
# take minutes: the long timeout bounds a silence, not the whole upload.
CONNECT_TIMEOUT = 30
TRANSFER_TIMEOUT = 600
CHUNK_SIZE = 1 << 20
# The server's limits (apps/server/src/runs/labels.ts), checked here before a long program runs.
LABEL_KEY = re.compile(r"[A-Za-z0-9_.:/-]{1,64}\Z")
MAX_LABELS = 50
MAX_LABEL_VALUE = 500
MAX_NAME = 200
MAX_MERGE_FILES = 20

EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_REFUSED = 4


class ProfhubError(Exception):
    """A failure explained in one line for the person at the terminal."""

    def __init__(self, message, exit_code, status=None, server_message=None):
        super().__init__(message)
        self.exit_code = exit_code
        # For a refusal: the HTTP status and the server's own words.
        self.status = status
        self.server_message = server_message


def _say(message):
    sys.stderr.write("profhub: %s\n" % message)
    sys.stderr.flush()


# ---------------------------------------------------------------- settings


class Target:
    """Where to upload: the server's base URL, the token, the run's name and labels."""

    def __init__(self, server=None, token=None, name=None, labels=()):
        self.server = parse_server(server or os.environ.get("PROFHUB_URL") or DEFAULT_SERVER)
        self.token = token or os.environ.get("PROFHUB_TOKEN") or None
        if name is not None and not name.strip():
            raise ProfhubError("--name must not be blank", EXIT_USAGE)
        if name is not None and len(name.strip()) > MAX_NAME:
            raise ProfhubError("--name may have at most %d characters" % MAX_NAME, EXIT_USAGE)
        self.name = name
        self.labels = parse_labels(labels)


def parse_server(text):
    url = text.strip().rstrip("/")
    if "://" not in url:
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ProfhubError(
            "the server address %r is not an http:// or https:// URL (e.g. %s)"
            % (text, DEFAULT_SERVER),
            EXIT_USAGE,
        )
    return url


def parse_labels(fields):
    """The `--label KEY=VALUE` options, checked as the server checks them: [(key, value)]."""
    labels = []
    seen = set()
    for field in fields:
        key, equals, value = field.partition("=")
        if not equals:
            raise ProfhubError("--label %r has no '=': write KEY=VALUE" % field, EXIT_USAGE)
        if not LABEL_KEY.match(key):
            raise ProfhubError(
                "--label key %r: use 1 to 64 letters, digits or _ . : / - characters" % key,
                EXIT_USAGE,
            )
        if len(value) > MAX_LABEL_VALUE:
            raise ProfhubError(
                "--label %s: the value has more than %d characters" % (key, MAX_LABEL_VALUE),
                EXIT_USAGE,
            )
        if key in seen:
            raise ProfhubError("--label %s is given twice" % key, EXIT_USAGE)
        seen.add(key)
        labels.append((key, value))
    if len(labels) > MAX_LABELS:
        raise ProfhubError("at most %d labels, please" % MAX_LABELS, EXIT_USAGE)
    return labels


# ---------------------------------------------------------------- git
# Where the program came from, read before it runs (the tree as it was then): the environment
# part's git {commit, branch, dirty}, and the labels branch, commit and commit-time, by which
# the runs that share a label value (a series) are put in commit order.

GIT_TIMEOUT = 3
# `git show --format=%cI`: strict ISO 8601, with the committer's offset.
COMMIT_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\Z")


def _git(cwd, *args):
    """`git ARGS` in cwd: its output, or None when git is missing, slow or says no."""
    import subprocess

    try:
        done = subprocess.run(
            ("git", "--no-optional-locks") + args,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").strip()


def read_git(cwd):
    """{commit, branch, dirty, commitTime} of the work tree cwd is in, or None when git cannot
    tell. branch is None on a detached HEAD, commitTime when git prints no ISO 8601 date."""
    if _git(cwd, "rev-parse", "--is-inside-work-tree") != "true":
        return None
    commit = _git(cwd, "rev-parse", "--verify", "-q", "HEAD")
    if commit is None or not re.match(r"([0-9a-f]{40}|[0-9a-f]{64})\Z", commit):
        return None  # no commit yet
    status = _git(cwd, "status", "--porcelain", "--untracked-files=no")
    if status is None:
        return None
    branch = _git(cwd, "symbolic-ref", "--short", "-q", "HEAD")
    # log.showSignature (a user's setting) would print the signature check before the date.
    time = _git(cwd, "-c", "log.showSignature=false", "show", "-s", "--format=%cI", commit)
    return {
        "commit": commit,
        "branch": branch or None,
        "dirty": status != "",
        "commitTime": time if time and COMMIT_TIME.match(time) else None,
    }


def ci_branch(environ):
    """The branch a CI service says it built, for its checkout that is often a detached HEAD: a
    pull request's source branch, else the pushed branch; None outside CI or for a tag."""
    # GitHub Actions sets GITHUB_HEAD_REF for pull requests only (GITHUB_REF_NAME is then
    # "<number>/merge"); GitLab's CI_COMMIT_REF_NAME is a merge request's source branch.
    names = ["GITHUB_HEAD_REF"]
    if environ.get("GITHUB_REF_TYPE") != "tag":
        names.append("GITHUB_REF_NAME")
    if not environ.get("CI_COMMIT_TAG"):
        names.append("CI_COMMIT_REF_NAME")
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def git_labels(git, environ):
    """The labels branch, commit and commit-time of the tree `git` (read_git's) describes:
    [(key, value)], none outside a work tree. The branch is git's, else the CI service's."""
    if git is None:
        return []
    labels = []
    branch = git["branch"] or ci_branch(environ)
    if branch:
        labels.append(("branch", branch))
    labels.append(("commit", git["commit"]))
    if git["commitTime"]:
        labels.append(("commit-time", git["commitTime"]))
    return labels


def add_labels(labels, extra):
    """`labels` (the user's, checked), then those of `extra` whose key the user did not give:
    the user's value wins. One that the server would refuse (a value over 500 characters, a
    51st label) is left out and said, rather than failing the run."""
    merged = list(labels)
    given = {key for key, _ in labels}
    for key, value in extra:
        if key in given:
            continue
        if len(value) > MAX_LABEL_VALUE:
            _say("label %s left out: its value is over %d characters" % (key, MAX_LABEL_VALUE))
        elif len(merged) == MAX_LABELS:
            _say("label %s left out: --label gave the %d labels a run may have" % (key, MAX_LABELS))
        else:
            merged.append((key, value))
    return merged


# ---------------------------------------------------------------- HTTP


def _quote_filename(name):
    """A file name inside `filename="..."`: as browsers send it (quotes and line breaks
    percent-encoded, UTF-8 as is), and a backslash too: servers cut a name at one, as a path."""
    for char, code in (("\\", "%5C"), ('"', "%22"), ("\r", "%0D"), ("\n", "%0A")):
        name = name.replace(char, code)
    return name.encode("utf-8", "replace")


def _multipart(fields, files):
    """A multipart/form-data body streamed from disk: (content type, length, chunks).
    `fields` is [(name, text)], `files` is [(field, file name, path or JSON bytes)]."""
    boundary = "profhub-" + binascii.hexlify(os.urandom(16)).decode("ascii")
    pieces = []
    for name, value in fields:
        pieces.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (boundary.encode(), name.encode(), value.encode("utf-8", "replace"))
        )
    for field, file_name, content in files:
        in_memory = isinstance(content, bytes)
        pieces.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
            b"Content-Type: %s\r\n\r\n"
            % (
                boundary.encode(),
                field.encode(),
                _quote_filename(file_name),
                b"application/json" if in_memory else b"application/octet-stream",
            )
        )
        pieces.append(content if in_memory else (content, os.path.getsize(content)))
        pieces.append(b"\r\n")
    pieces.append(b"--%s--\r\n" % boundary.encode())
    length = sum(len(p) if isinstance(p, bytes) else p[1] for p in pieces)

    def chunks():
        for piece in pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            path, size = piece
            with open(path, "rb") as f:
                left = size
                while left > 0:
                    chunk = f.read(min(CHUNK_SIZE, left))
                    if not chunk:
                        message = "%s got shorter while it was uploaded" % path
                        raise ProfhubError(message, EXIT_USAGE)
                    left -= len(chunk)
                    yield chunk

    return "multipart/form-data; boundary=" + boundary, length, chunks()


def _connection_class(base):
    class Connection(base):
        # A short timeout to connect, then a long one for sending and for the answer.
        def connect(self):
            super().connect()
            self.sock.settimeout(TRANSFER_TIMEOUT)

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_connection_class(http.client.HTTPConnection), req)


if hasattr(urllib.request, "HTTPSHandler"):  # not in a Python built without ssl

    class _HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(
                _connection_class(http.client.HTTPSConnection), req, context=self._context
            )

    _HANDLERS = (_HTTPHandler, _HTTPSHandler)
else:
    _HANDLERS = (_HTTPHandler,)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect of the upload as a GET: say where the server moved instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def post_upload(target, files, fields):
    """POSTs one multipart upload to /api/runs; returns the links of the runs it made."""
    content_type, length, body = _multipart(fields, files)
    headers = {"Content-Type": content_type, "Content-Length": str(length)}
    headers["Accept"] = "application/json"
    if target.token:
        headers["Authorization"] = "Bearer " + target.token
    url = target.server + "/api/runs"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    opener = urllib.request.build_opener(*_HANDLERS, _NoRedirect)
    try:
        with opener.open(request, timeout=CONNECT_TIMEOUT) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        raise _refusal(target, error) from None
    except urllib.error.URLError as error:
        raise _unreachable(target, error.reason) from None
    except (OSError, http.client.HTTPException) as error:
        raise _unreachable(target, error) from None
    answer = _parse_json(text)
    runs = answer.get("runs", [answer]) if isinstance(answer, dict) else None
    if status != 201 or not isinstance(runs, list) or not all(map(_is_run, runs)):
        raise ProfhubError(
            "%s answered %d, not as a profhub server does: check --server or PROFHUB_URL"
            % (url, status),
            EXIT_UNREACHABLE,
        )
    return [target.server + run["url"] for run in runs]


def _is_run(run):
    return isinstance(run, dict) and str(run.get("url", "")).startswith("/runs/")


def _parse_json(text):
    try:
        return json.loads(text.decode("utf-8"))
    except ValueError:
        return None


def _unreachable(target, reason):
    if isinstance(reason, ConnectionRefusedError):
        why = "connection refused"
    elif isinstance(reason, OSError) and reason.__class__.__name__ == "gaierror":
        why = "host not found"
    elif isinstance(reason, TimeoutError) or "timed out" in str(reason):
        why = "timed out"
    elif isinstance(reason, (ConnectionResetError, BrokenPipeError)):
        why = "the connection was closed during the upload"
    else:
        why = str(reason) or reason.__class__.__name__
    return ProfhubError(
        "cannot reach %s (%s). Start it with `pnpm start` or set PROFHUB_URL."
        % (target.server, why),
        EXIT_UNREACHABLE,
    )


def _refusal(target, error):
    answer = _parse_json(error.read() or b"")
    message = answer.get("message") if isinstance(answer, dict) else None
    status = "%d %s" % (error.code, error.reason)
    if 300 <= error.code < 400:
        return ProfhubError(
            "%s redirects to %s: use that address in --server or PROFHUB_URL"
            % (target.server, error.headers.get("Location")),
            EXIT_UNREACHABLE,
        )
    if error.code in (401, 403):
        hint = (
            "The token was not accepted: check --token or PROFHUB_TOKEN."
            if target.token
            else "Pass --token or set PROFHUB_TOKEN."
        )
        return ProfhubError("the server refused the upload (%s). %s" % (status, hint), EXIT_REFUSED)
    if message is None:
        return ProfhubError(
            "%s/api/runs answered %s, not as a profhub server does: check --server or PROFHUB_URL"
            % (target.server, status),
            EXIT_UNREACHABLE,
        )
    if error.code >= 500:
        return ProfhubError("the server failed (%s): %s" % (status, message), EXIT_UNREACHABLE)
    return ProfhubError(
        "the server refused the upload (%s): %s" % (status, message),
        EXIT_REFUSED,
        error.code,
        message,
    )


def upload_files(target, paths, merge=False, name=None, parts=()):
    """Uploads .prof files as one run (one file, or merged), returns the links. `parts` are
    the run's JSON parts: [(field, document bytes)]."""
    fields = [("mode", "merge")] if merge else []
    if name is not None:
        fields.append(("name", name))
    fields.extend(("label", "%s=%s" % label) for label in target.labels)
    files = [("file", file_name, path) for path, file_name in paths]
    files.extend((field, field + ".json", data) for field, data in parts)
    return post_upload(target, files, fields)


def _refused_parts(error, parts):
    """The fields of `parts` the server refused the upload for: all of them for a server older
    than them (it takes "name", "mode" and "label" fields, "nothing else"), else those a newer
    one names."""
    if error.status not in (400, 413) or not error.server_message:
        return []
    message = error.server_message
    fields = [field for field, _ in parts]
    if "nothing else" in message and "memory" not in message:
        return fields
    named = re.findall(r"\b(memory|source|environment) part", message)
    return [field for field in fields if field in named]


def upload_run(target, path, file_name, name, parts):
    """Uploads one profile with its parts, leaving out those the server refuses (and saying
    so): a part is never worth losing the profile for."""
    parts = list(parts)
    while True:
        try:
            return upload_files(target, [(path, file_name)], name=name, parts=parts)
        except ProfhubError as error:
            refused = _refused_parts(error, parts)
            if not refused:
                raise
            _say(
                "the server did not take the %s part%s, so the run goes without: %s"
                % (" and ".join(refused), "s" if len(refused) > 1 else "", error.server_message)
            )
            parts = [part for part in parts if part[0] not in refused]


# ---------------------------------------------------------------- the run's record
# What `run` sends beside the profile (the server's limits, apps/server's memory/source/
# environment parts): the environment always, the source unless --no-source, memory with --memory.

MEMORY_LINES = 500
MEMORY_TRACEBACKS = 100
# Frames of the program kept per allocation: enough to find the enclosing function.
MEMORY_FRAMES = 10
MAX_TRACEBACK_LIMIT = 100
MAX_TEXT = 4096
MAX_COMMAND_ITEMS = 256
MAX_SOURCE_FILES = 200
MAX_SOURCE_FILE_BYTES = 512 * 1024
MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_MEMORY_BYTES = 4 * 1024 * 1024
MAX_ENVIRONMENT_BYTES = 64 * 1024
MEMORY_NOTE = (
    "Recorded with tracemalloc while cProfile ran: the CPU times include tracemalloc's "
    "overhead, and the bytes include cProfile's own record of each function it saw."
)


def _json_bytes(document):
    # A file name that is not UTF-8 holds lone surrogates (surrogateescape): written as the
    # JSON escape \udcXX, not as bytes that are not UTF-8.
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "backslashreplace")


def _fitted(document, max_bytes, lists):
    """The document as bytes within max_bytes, the `lists` (keys, least needed first) cut by
    half until it fits: only very long paths or arguments come near the caps."""
    data = _json_bytes(document)
    for key in lists:
        while len(data) > max_bytes and document.get(key):
            document[key] = document[key][: len(document[key]) // 2]
            data = _json_bytes(document)
    return data


def _units(text):
    """The length as the server (JavaScript) counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _fits(text):
    return len(text) <= MAX_TEXT and _units(text) <= MAX_TEXT


def _text(value):
    """A string as the server takes it: cut to 4096 characters."""
    value = str(value)
    if _fits(value):
        return value
    value = value[: MAX_TEXT - 1]
    while _units(value) > MAX_TEXT - 1:  # characters outside the BMP count twice
        value = value[: len(value) - max(1, (_units(value) - MAX_TEXT + 1) // 2)]
    return value + "…"


def build_environment(command, cwd, memory, git):
    """What the run ran on, `git` as read_git read it before the program ran."""
    import platform

    return {
        "formatVersion": 1,
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
        },
        "platform": {
            "system": _text(platform.system()),
            "release": _text(platform.release()),
            "machine": _text(platform.machine()),
            "node": _text(platform.node()),
        },
        # cProfile.Profile() with no timer argument reads the same clock as time.perf_counter.
        "profiler": {"name": "cProfile", "clock": "perf_counter"},
        "command": [_text(item) for item in command[:MAX_COMMAND_ITEMS]],
        "cwd": _text(cwd),
        "git": _environment_git(git),
        "memory": memory,
    }


def _environment_git(git):
    """The environment part's git {commit, branch, dirty} (its fields are text of 4096 at most)."""
    if git is None:
        return None
    branch = _text(git["branch"]) if git["branch"] else None
    return {"commit": git["commit"], "branch": branch, "dirty": git["dirty"]}


class MemoryTrace:
    """tracemalloc around the program: started just before it, read just after it."""

    def __init__(self, as_module):
        import runpy
        import tracemalloc

        self._tracemalloc = tracemalloc
        self._runctx_file = _code_file(cProfile.Profile.runctx)
        # With -m, runpy's frames and the "<string>" that calls it sit between runctx and the
        # program.
        self._runner = {_code_file(runpy.run_module), "<string>"} if as_module else set()
        self._dropped = {_code_file(_say), self._runctx_file, tracemalloc.__file__}
        self.limit = None
        self.totals = None
        self.snapshot = None

    def start(self):
        depth = 0
        frame = sys._getframe()
        while frame is not None:
            depth += 1
            frame = frame.f_back
        # This stack, then runctx and (with -m) runpy's frames: MEMORY_FRAMES of the program
        # on top of them.
        self.limit = min(MAX_TRACEBACK_LIMIT, depth + 5 + MEMORY_FRAMES)
        self._tracemalloc.start(self.limit)

    def stop(self):
        tracemalloc = self._tracemalloc
        if tracemalloc.is_tracing():
            # Read before the snapshot, which allocates.
            self.totals = tracemalloc.get_traced_memory()
            self.snapshot = tracemalloc.take_snapshot()
            tracemalloc.stop()

    def document(self):
        """The memory part, or None when the program stopped tracemalloc itself."""
        if self.snapshot is None:
            return None
        import glob

        tracemalloc = self._tracemalloc
        snapshot = self.snapshot.filter_traces(
            [tracemalloc.Filter(False, glob.escape(name)) for name in sorted(self._dropped)]
        )
        lines = []
        for stat in snapshot.statistics("lineno"):
            frame = stat.traceback[0]
            if _fits(frame.filename):
                lines.append(_memory_line(frame, stat))
            if len(lines) == MEMORY_LINES:
                break
        current, peak = self.totals
        return {
            "formatVersion": 1,
            "tool": "tracemalloc",
            "peakBytes": peak,
            "finalBytes": current,
            "tracebackLimit": self.limit,
            "overheadNote": MEMORY_NOTE,
            "lines": lines,
            "tracebacks": self._tracebacks(snapshot),
        }

    def _program_frames(self, frames):
        """The program's frames of a traceback (oldest first, as Python 3.7+ lists them): what
        comes after cProfile's runctx (and runpy), which everything the program runs is under."""
        files = [frame.filename for frame in frames]
        if self._runctx_file in files:
            frames = frames[files.index(self._runctx_file) + 1 :]
        while frames and frames[0].filename in self._runner:
            frames = frames[1:]
        return [frame for frame in frames if _fits(frame.filename)]

    def _tracebacks(self, snapshot):
        merged = {}
        for stat in snapshot.statistics("traceback"):
            frames = self._program_frames(list(stat.traceback))
            if not frames:
                continue
            key = tuple((frame.filename, frame.lineno) for frame in reversed(frames))
            size, count = merged.get(key, (0, 0))
            merged[key] = (size + stat.size, count + stat.count)
        ranked = sorted(merged.items(), key=lambda item: (-item[1][0], item[0]))
        return [
            {
                "size": size,
                "count": count,
                "frames": [{"file": f, "line": line} for f, line in key[:MAX_TRACEBACK_LIMIT]],
            }
            for key, (size, count) in ranked[:MEMORY_TRACEBACKS]
        ]


def _memory_line(frame, stat):
    return {"file": frame.filename, "line": frame.lineno, "size": stat.size, "count": stat.count}


def _library_dirs():
    """Where installed and standard-library code lives: never the program's own source."""
    import site
    import sysconfig

    dirs = set()
    for scheme_dir in sysconfig.get_paths().values():
        dirs.add(scheme_dir)
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        paths = sysconfig.get_paths(vars={"base": prefix, "platbase": prefix})
        dirs.update(paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib"))
    if sys.prefix != sys.base_prefix:  # a virtualenv is active: all of it is installed code
        dirs.add(sys.prefix)
    try:
        dirs.update(site.getsitepackages())
        dirs.add(site.getusersitepackages())
    except AttributeError:  # an old virtualenv's site module
        pass
    return [os.path.realpath(folder) for folder in dirs if folder]


def _is_within(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _is_own_file(path, cwd, libraries):
    """Is the file (a real path) the program's: under cwd, in no library nor virtualenv?"""
    if not _is_within(path, cwd) or any(_is_within(path, lib) for lib in libraries):
        return False
    parts = path[len(cwd) :].split(os.sep)
    if any(part in ("site-packages", "dist-packages") for part in parts):
        return False
    # A virtualenv under cwd that is not the one running (its folder holds pyvenv.cfg).
    folder = os.path.dirname(path)
    while _is_within(folder, cwd) and folder != cwd:
        if os.path.isfile(os.path.join(folder, "pyvenv.cfg")):
            return False
        folder = os.path.dirname(folder)
    return True


def build_source(files, cwd):
    """The source part for the program's own files among `files` (as cProfile recorded them):
    (document or None, [(file, why not sent)])."""
    real_cwd = os.path.realpath(cwd)
    libraries = _library_dirs()
    profhub_file = os.path.realpath(_code_file(_say))
    candidates = []
    for name in sorted(set(files)):
        if not name or name == "~" or name.startswith("<") or not _fits(name):
            continue  # built-ins, and code that never was a file
        real = os.path.realpath(os.path.join(cwd, name))
        if real == profhub_file or not _is_own_file(real, real_cwd, libraries):
            continue
        try:
            with open(real, encoding="utf-8-sig", errors="replace") as f:
                text = f.read()
        except (OSError, ValueError):
            continue
        entry = _json_bytes({"path": name, "text": text})
        candidates.append((len(entry), len(text.encode("utf-8")), name, text))
    # Smallest first, so that what the caps leave out is the largest.
    candidates.sort(key=lambda item: (item[0], item[2]))
    sent, skipped, total = [], [], 0
    for entry_size, text_size, name, text in candidates:
        if text_size > MAX_SOURCE_FILE_BYTES:
            skipped.append((name, "over %d KB" % (MAX_SOURCE_FILE_BYTES // 1024)))
        elif len(sent) == MAX_SOURCE_FILES:
            skipped.append((name, "over %d files" % MAX_SOURCE_FILES))
        elif total + entry_size + 64 > MAX_SOURCE_BYTES:
            skipped.append((name, "over %d MB in all" % (MAX_SOURCE_BYTES >> 20)))
        else:
            total += entry_size + 1
            sent.append({"path": name, "text": text})
    document = {"formatVersion": 1, "files": sent} if sent else None
    return document, skipped



# ---------------------------------------------------------------- run


def _code_file(function):
    return function.__code__.co_filename


_OWN_FILES = frozenset((_code_file(_say), _code_file(cProfile.Profile.runctx)))


def _without_own_frames(error):
    """The exception's traceback from the program's first frame on, as Python would show it."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in _OWN_FILES:
        tb = tb.tb_next
    return error.with_traceback(tb)


def _prepare_script(path):
    """The compiled script and its `__main__` module, as `python script.py` would make them."""
    if not os.path.isfile(path):
        raise ProfhubError("no such script: %s" % path, EXIT_USAGE)
    with io.open_code(path) as f:
        source = f.read()
    # dont_inherit: this file's compiler flags must not leak into the program.
    code = compile(source, path, "exec", dont_inherit=True)
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=os.path.abspath(path), __cached__=None, __loader__=None)
    module.__dict__["__builtins__"] = builtins
    return code, module


def profile_program(program, as_module, memory=None):
    """Runs the program under cProfile (and `memory`, a MemoryTrace, when given). Returns
    (profile, exit code, exception or None)."""
    if as_module:
        import runpy

        # As `python -m cProfile -m module`: sys.argv[0] is the module name, the current
        # directory comes first on sys.path, runpy runs it as __main__.
        sys.path[0] = os.getcwd()
        if not _module_exists(program[0].partition(".")[0]):
            raise ProfhubError("no module named %r (in %s)" % (program[0], os.getcwd()), EXIT_USAGE)
        code = "run_module(modname, run_name='__main__')"
        namespace = {"run_module": runpy.run_module, "modname": program[0]}
    else:
        # As `python script.py`: the script's directory first on sys.path, and a fresh
        # __main__ module (so that pickle and multiprocessing find the program's classes).
        sys.path[0] = os.path.dirname(os.path.realpath(program[0]))
        try:
            code, module = _prepare_script(program[0])
        except SyntaxError as error:
            sys.excepthook(type(error), error, None)
            raise SystemExit(1)
        sys.modules["__main__"] = module
        namespace = module.__dict__
    sys.argv[:] = program
    profile = cProfile.Profile()
    try:
        if memory is not None:
            memory.start()
        try:
            profile.runctx(code, namespace, None)
        finally:
            if memory is not None:
                memory.stop()
    except SystemExit as error:
        return profile, error.code, None
    except KeyboardInterrupt as error:
        return profile, 130, _without_own_frames(error)
    except BaseException as error:  # the program's own failure, shown as Python shows it
        return profile, 1, _without_own_frames(error)
    return profile, 0, None


def _module_exists(name):
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _check_writable(path):
    """Refuses an -o FILE that cannot be written before the program runs, not after."""
    folder = os.path.dirname(path)
    if os.path.isdir(path):
        raise ProfhubError("-o %s is a folder: name a file" % path, EXIT_USAGE)
    if not os.path.isdir(folder):
        raise ProfhubError("-o %s: the folder %s does not exist" % (path, folder), EXIT_USAGE)
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise ProfhubError("-o %s: not allowed to write there" % path, EXIT_USAGE)


def upload_profile(target, profile, file_name, name, output=None, parts=()):
    """Writes the profile (to `output`, else a temp file) and uploads it with its JSON parts:
    (link, 0), or (None, exit code) once the failure and where the profile is kept have been
    said."""
    if output is None:
        fd, path = tempfile.mkstemp(prefix="profhub-", suffix=".prof")
        os.close(fd)
    else:
        path = output
    profile.dump_stats(path)
    try:
        [link] = upload_run(target, path, file_name, name, parts)
    except (ProfhubError, KeyboardInterrupt) as error:
        if isinstance(error, KeyboardInterrupt):
            error = ProfhubError("the upload was interrupted", 130)
        _say(str(error))
        _say("The profile is kept in %s: upload it later with" % path)
        _say("  python profhub.py upload %s" % shlex.quote(path))
        return None, error.exit_code
    if output is None:
        os.remove(path)
    return link, 0


def open_in_browser(link):
    """Opens the link where a browser can show it; says nothing when none is likely."""
    graphical = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY")
    )
    if not graphical:
        return
    import webbrowser

    # A browser started from here inherits stdout: keep its chatter off the program's output
    # and away from the link, which comes last.
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
        webbrowser.open(link)
    except Exception as error:  # a browser that fails is not worth failing the run for
        _say("could not open a browser (%s)" % error)
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _print_link(link):
    try:
        sys.stdout.flush()
        sys.__stdout__.write(link + "\n")
        sys.__stdout__.flush()
    except (AttributeError, OSError, ValueError):  # the program closed stdout
        _say("run: " + link)


def command_run(args):
    program = args.program[1:] if args.program[:1] == ["--"] else args.program
    if not program:
        raise ProfhubError("name the script to profile (or -m module)", EXIT_USAGE)
    target = Target(args.server, args.token, args.name, args.label)
    output = os.path.abspath(args.output) if args.output else None
    if output is not None:
        _check_writable(output)
    base = program[0] if args.module else os.path.basename(program[0])
    # Not the arguments: command lines carry passwords and tokens, and a run is shared by link.
    name = args.name or _truncate("-m " + base if args.module else base)
    file_name = re.sub(r"\.pyw?$", "", base) + ".prof"

    cwd = os.getcwd()
    git = _quietly("git state", read_git, cwd)
    if not args.no_git_labels:
        target.labels = add_labels(target.labels, git_labels(git, os.environ))
    command = program[:1] if args.hide_args else list(program)
    if args.module:
        command.insert(0, "-m")
    environment = _quietly("environment", build_environment, command, cwd, args.memory, git)
    memory = MemoryTrace(args.module) if args.memory else None

    profile, code, error = profile_program(program, args.module, memory)
    sys.stdout.flush()
    if error is not None:
        sys.excepthook(type(error), error, error.__traceback__)
    parts = run_parts(profile, cwd, environment, memory, not args.no_source)
    link, upload_code = upload_profile(target, profile, file_name, name, output, parts)
    if link is None:
        # The program's own failure says more than the upload's.
        raise SystemExit(code if code not in (None, 0) else upload_code)
    if not args.no_open:
        open_in_browser(link)
    _print_link(link)
    raise SystemExit(code)


def run_parts(profile, cwd, environment, memory, with_source):
    """The JSON parts sent with the profile: [(field, bytes)]. None of them fails the run."""
    parts = []
    if memory is not None:
        document = _quietly("memory data", memory.document)
        if document is None and memory.snapshot is None:
            _say("no memory data: the program stopped tracemalloc itself")
        elif document is not None:
            data = _fitted(document, MAX_MEMORY_BYTES, ("tracebacks", "lines"))
            parts.append(("memory", data))
    if with_source:
        profile.create_stats()
        files = [file for file, _, _ in profile.stats]
        found = _quietly("source", build_source, files, cwd)
        if found is not None:
            document, skipped = found
            if skipped:
                _say(
                    "source not sent for %d file(s), over the limits: %s"
                    % (len(skipped), "; ".join("%s (%s)" % item for item in skipped[:10]))
                )
            if document is not None:
                parts.append(("source", _json_bytes(document)))
    if environment is not None:
        parts.append(("environment", _fitted(environment, MAX_ENVIRONMENT_BYTES, ("command",))))
    return parts


def _quietly(what, function, *args):
    """function(*args), or None once a failure has been said: a part is never worth the run."""
    try:
        return function(*args)
    except Exception as error:
        _say("could not record the %s (%s: %s)" % (what, error.__class__.__name__, error))
        return None


def _truncate(text):
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + "…"


def command_upload(args):
    target = Target(args.server, args.token, args.name, args.label)
    paths = []
    for path in args.files:
        if not os.path.isfile(path) or not os.access(path, os.R_OK):
            raise ProfhubError("cannot read %s: no such file" % path, EXIT_USAGE)
        paths.append((path, os.path.basename(path)))
    if args.merge:
        if len(paths) > MAX_MERGE_FILES:
            raise ProfhubError("--merge takes at most %d files" % MAX_MERGE_FILES, EXIT_USAGE)
        for link in upload_files(target, paths, merge=True, name=args.name):
            print(link, flush=True)
        return
    if args.name is not None and len(paths) > 1:
        raise ProfhubError("--name is for one run: add --merge, or upload one file", EXIT_USAGE)
    # One request per file: each file has the whole size limit, and a link as soon as it is in.
    for index, path in enumerate(paths):
        try:
            [link] = upload_files(target, [path], name=args.name)
        except ProfhubError as error:
            if index > 0:
                _say("%d of %d files were uploaded; %s was not" % (index, len(paths), path[0]))
            if error.exit_code == EXIT_REFUSED:
                raise ProfhubError("%s: %s" % (path[0], error), error.exit_code) from None
            raise
        print(link, flush=True)


# ---------------------------------------------------------------- command line


def _add_target_options(parser):
    parser.add_argument(
        "--server",
        metavar="URL",
        help="profhub's address (default: $PROFHUB_URL, else %s)" % DEFAULT_SERVER,
    )
    parser.add_argument("--token", metavar="T", help="access token (default: $PROFHUB_TOKEN)")
    parser.add_argument("--name", metavar="N", help="the run's name")
    parser.add_argument(
        "--label",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="a label for the run (repeatable)",
    )


def build_parser():
    parser = argparse.ArgumentParser(
        prog="profhub.py",
        description="Profile a Python program, or upload .prof files, to profhub.",
        epilog="Exit codes: 0 ok, 2 bad arguments, 3 server unreachable or failed, 4 upload "
        "refused; run: the program's own code when not 0.",
        allow_abbrev=False,
    )
    commands = parser.add_subparsers(dest="command", metavar="{run,upload}")
    commands.required = True
    run = commands.add_parser(
        "run",
        help="profile a program with cProfile and upload it",
        usage="%(prog)s [options] script.py [args...] | -m module [args...]",
        allow_abbrev=False,
    )
    _add_target_options(run)
    run.add_argument("--no-open", action="store_true", help="do not open the run in a browser")
    run.add_argument(
        "--no-git-labels",
        action="store_true",
        help="do not label the run with the git branch, commit and commit-time",
    )
    run.add_argument(
        "--memory",
        action="store_true",
        help="also trace allocations with tracemalloc (slower; the CPU times include it)",
    )
    run.add_argument(
        "--no-source",
        action="store_true",
        help="do not send the source of the program's own files",
    )
    run.add_argument(
        "--hide-args",
        action="store_true",
        help="send the command without the program's arguments (they may hold secrets)",
    )
    run.add_argument("-o", "--output", metavar="FILE", help="also keep the profile in FILE")
    run.add_argument("-m", dest="module", action="store_true", help="profile a library module")
    run.add_argument(
        "program", nargs=argparse.REMAINDER, help="the script (or module) and its arguments"
    )
    upload = commands.add_parser(
        "upload", help="upload .prof files, one run each or merged", allow_abbrev=False
    )
    _add_target_options(upload)
    upload.add_argument("--merge", action="store_true", help="make one run of all the files")
    upload.add_argument("files", nargs="+", metavar="FILE")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            command_run(args)
        else:
            command_upload(args)
    except ProfhubError as error:
        _say(str(error))
        return error.exit_code
    return 0


# ---------------------------------------------------------------- IPython


_MAGIC_OPTION = re.compile(
    r"""\s*(?:(-n|--no-open|--no-git-labels)"""
    r"""|--(server|token|name|label)(?:=|\s+)("[^"]*"|'[^']*'|\S+))(?=\s|$)"""
)


def parse_magic_line(line):
    """Leading options of `%profhub [options] STATEMENT`; the statement is kept as written."""
    options = {"no_open": False, "no_git_labels": False, "label": []}
    position = 0
    while True:
        match = _MAGIC_OPTION.match(line, position)
        if match is None:
            break
        position = match.end()
        if match.group(1):
            options["no_git_labels" if match.group(1) == "--no-git-labels" else "no_open"] = True
        elif match.group(2) == "label":
            options["label"].append(shlex.split(match.group(3))[0])
        else:
            options[match.group(2)] = shlex.split(match.group(3))[0]
    rest = line[position:].strip()
    if rest.startswith("-- "):
        rest = rest[3:].strip()
    return options, rest


def run_magic(shell, line, cell=None):
    """%profhub / %%profhub: profile code in the user's namespace, upload it, show the run."""
    from IPython.core.error import UsageError

    options, statement = parse_magic_line(line)
    if cell is None and not statement:
        raise UsageError(
            "%profhub [--server URL] [--name N] [--label K=V] [-n] [--no-git-labels] STATEMENT"
        )
    if cell is not None and statement:
        raise UsageError("%%%%profhub takes options on its line, not code: %s" % statement)
    source = shell.transform_cell(statement if cell is None else cell)
    try:
        target = Target(
            options.get("server"), options.get("token"), options.get("name"), options["label"]
        )
    except ProfhubError as error:
        raise UsageError(str(error)) from None
    if not options["no_git_labels"]:
        git = _quietly("git state", read_git, ".")
        target.labels = add_labels(target.labels, git_labels(git, os.environ))
    try:
        filename = shell.compile.cache(source)
    except Exception:  # an IPython without the cache: tracebacks show no source
        filename = "<profhub>"
    code = compile(source, filename, "exec", dont_inherit=True)
    namespace = shell.user_ns
    profile = cProfile.Profile()
    failure = None
    try:
        profile.runctx(code, namespace, namespace)
    except BaseException as error:  # uploaded all the same; IPython then shows the traceback
        failure = error
    if cell is None:
        default_name = statement
    else:
        lines = [text.strip() for text in cell.splitlines() if text.strip()]
        default_name = (lines[0] + (" …" if len(lines) > 1 else "")) if lines else "IPython cell"
    name = options.get("name") or _truncate(default_name)
    link, _ = upload_profile(target, profile, "ipython.prof", name)
    if link is not None:
        print(link, flush=True)
        in_notebook = getattr(shell, "kernel", None) is not None
        if in_notebook and not options["no_open"]:
            from IPython.display import IFrame, display

            display(IFrame(link, width="100%", height=600))
        elif not in_notebook and not options["no_open"]:
            open_in_browser(link)
    if failure is not None:
        raise _without_own_frames(failure)


def load_ipython_extension(ipython):
    """`%load_ext profhub`: registers %profhub and %%profhub."""

    def profhub(line, cell=None):
        return run_magic(ipython, line, cell)

    profhub.__doc__ = run_magic.__doc__
    ipython.register_magic_function(profhub, "line_cell", "profhub")


if __name__ == "__main__":
    sys.exit(main())
