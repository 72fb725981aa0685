"""The benchmarks' yardstick: a bare WSGI app answering the bytes in the file BARE_BODY_FILE names.

Served by the same gunicorn and loaded by the same wrk as the project, it measures what this machine
spends on a request with no application in it (the issue's figures came with the same yardstick: 0.57 ms
for the list's bytes, 0.23 ms for one profile's), so figures from different machines can be compared.
"""

import os
from pathlib import Path

BODY = Path(os.environ["BARE_BODY_FILE"]).read_bytes()
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
