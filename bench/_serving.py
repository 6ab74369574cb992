"""What the benchmark scripts share: waiting for a spawned server's first 200."""

import subprocess
import time
import urllib.request


def wait_ready(server: "subprocess.Popen[bytes]", port: int, path: str) -> float:
    """The monotonic time of the server's first 200 on `path`; raises if it exits or takes 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as response:
                if response.status == 200:
                    return time.monotonic()
        except OSError:
            time.sleep(0.005)
    raise RuntimeError("server did not answer within 60 s")
