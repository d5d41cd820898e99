#!/usr/bin/env python3
"""The drill's ``systemctl`` and ``systemd-run``: each asks the test's systemd (fake_systemd.py).

Installed on the drill's PATH under both names; the socket is ``DRILL_SYSTEMD_SOCKET``.
Standard library only: the operator's shell runs it with the system's python3.
"""

import json
import os
import socket
import sys

program = os.path.basename(sys.argv[0])
with socket.socket(socket.AF_UNIX) as connection:
    connection.connect(os.environ["DRILL_SYSTEMD_SOCKET"])
    connection.sendall(json.dumps({"program": program, "args": sys.argv[1:]}).encode() + b"\n")
    answer = json.loads(connection.makefile().readline())
sys.stdout.write(answer["output"])
sys.exit(answer["code"])
