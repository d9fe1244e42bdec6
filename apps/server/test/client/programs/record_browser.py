"""A stand-in browser for `BROWSER`: writes the URL it was asked to open to BROWSER_LOG."""

import os
import sys

with open(os.environ["BROWSER_LOG"], "a") as log:
    log.write(sys.argv[1] + "\n")
