"""The app in a real pseudo-terminal: SIGTERM and SIGHUP give the terminal back as `q` does."""
from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

LEAVE_ALT_SCREEN = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    data, deadline = b"", time.monotonic() + timeout
    while needle not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:   # EIO: the other side has closed
                break
            if not chunk:
                break
            data += chunk
    return data


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux pseudo-terminal")
@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["TERM", "HUP"])
def test_a_stop_signal_restores_the_terminal(tmp_path, sig, status):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TUTOR_HOME": str(tmp_path), "TUTOR_ANIMATION": "0", "TERM": "xterm-256color"}
    env.pop("TEXTUAL_DRIVER", None)
    proc = subprocess.Popen([sys.executable, "-m", "tutor"], stdin=slave, stdout=slave, stderr=slave,
                            env=env, start_new_session=True, close_fds=True)
    os.close(slave)
    try:
        shown = read_until(master, b"recurrent", 30)   # the course map is on screen
        assert b"\x1b[?1049h" in shown and b"recurrent" in shown, shown[-500:]
        time.sleep(0.5)
        proc.send_signal(sig)
        after = read_until(master, b"\x00never", 15)
        assert proc.wait(timeout=15) == status
        assert LEAVE_ALT_SCREEN in after and MOUSE_OFF in after
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        os.close(master)
