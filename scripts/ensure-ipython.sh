#!/usr/bin/env bash
# The profhub.py client's tests run its IPython magics in Debian's IPython (python3-ipython, for
# /usr/bin/python3). Installs it when it is missing and we can; otherwise says exactly what to run.
set -euo pipefail
python="${IPYTHON_PYTHON:-/usr/bin/python3}"
"$python" -c 'import IPython' 2>/dev/null && exit 0
if [ "$python" = /usr/bin/python3 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "IPython is missing: installing Debian's python3-ipython package (about 30 s)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-ipython >/dev/null
  exit 0
fi
echo "The profhub.py client tests need IPython for $python." >&2
echo "Install it with: sudo apt-get install -y python3-ipython   (or set IPYTHON_PYTHON to a Python that has IPython)" >&2
exit 1
