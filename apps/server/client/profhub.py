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
--no-open (no browser), -o FILE (keep the .prof, as cProfile's -o).

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
IPython opens it in the browser. Options: --server, --token, --name, --label, -n/--no-open.
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

    def __init__(self, message, exit_code):
        super().__init__(message)
        self.exit_code = exit_code


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


# ---------------------------------------------------------------- HTTP


def _quote_filename(name):
    """A file name inside `filename="..."`: as browsers send it (quotes and line breaks
    percent-encoded, UTF-8 as is), and a backslash too: servers cut a name at one, as a path."""
    for char, code in (("\\", "%5C"), ('"', "%22"), ("\r", "%0D"), ("\n", "%0A")):
        name = name.replace(char, code)
    return name.encode("utf-8", "replace")


def _multipart(fields, files):
    """A multipart/form-data body streamed from disk: (content type, length, chunks).
    `fields` is [(name, text)], `files` is [(field, file name, path)]."""
    boundary = "profhub-" + binascii.hexlify(os.urandom(16)).decode("ascii")
    pieces = []
    for name, value in fields:
        pieces.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (boundary.encode(), name.encode(), value.encode("utf-8", "replace"))
        )
    for field, file_name, path in files:
        pieces.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n"
            % (boundary.encode(), field.encode(), _quote_filename(file_name))
        )
        pieces.append((path, os.path.getsize(path)))
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
    return ProfhubError("the server refused the upload (%s): %s" % (status, message), EXIT_REFUSED)


def upload_files(target, paths, merge=False, name=None):
    """Uploads .prof files as one run (one file, or merged), returns the links."""
    fields = [("mode", "merge")] if merge else []
    if name is not None:
        fields.append(("name", name))
    fields.extend(("label", "%s=%s" % label) for label in target.labels)
    files = [("file", file_name, path) for path, file_name in paths]
    return post_upload(target, files, fields)


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


def profile_program(program, as_module):
    """Runs the program under cProfile. Returns (profile, exit code, exception or None)."""
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
        profile.runctx(code, namespace, None)
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


def upload_profile(target, profile, file_name, name, output=None):
    """Writes the profile (to `output`, else a temp file) and uploads it: (link, 0), or
    (None, exit code) once the failure and where the profile is kept have been said."""
    if output is None:
        fd, path = tempfile.mkstemp(prefix="profhub-", suffix=".prof")
        os.close(fd)
    else:
        path = output
    profile.dump_stats(path)
    try:
        [link] = upload_files(target, [(path, file_name)], name=name)
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

    profile, code, error = profile_program(program, args.module)
    sys.stdout.flush()
    if error is not None:
        sys.excepthook(type(error), error, error.__traceback__)
    link, upload_code = upload_profile(target, profile, file_name, name, output)
    if link is None:
        # The program's own failure says more than the upload's.
        raise SystemExit(code if code not in (None, 0) else upload_code)
    if not args.no_open:
        open_in_browser(link)
    _print_link(link)
    raise SystemExit(code)


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
    r"""\s*(?:(-n|--no-open)|--(server|token|name|label)(?:=|\s+)("[^"]*"|'[^']*'|\S+))(?=\s|$)"""
)


def parse_magic_line(line):
    """Leading options of `%profhub [options] STATEMENT`; the statement is kept as written."""
    options = {"no_open": False, "label": []}
    position = 0
    while True:
        match = _MAGIC_OPTION.match(line, position)
        if match is None:
            break
        position = match.end()
        if match.group(1):
            options["no_open"] = True
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
        raise UsageError("%profhub [--server URL] [--name N] [--label K=V] [-n] STATEMENT")
    if cell is not None and statement:
        raise UsageError("%%%%profhub takes options on its line, not code: %s" % statement)
    source = shell.transform_cell(statement if cell is None else cell)
    try:
        target = Target(
            options.get("server"), options.get("token"), options.get("name"), options["label"]
        )
    except ProfhubError as error:
        raise UsageError(str(error)) from None
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
