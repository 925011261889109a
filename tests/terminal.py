"""Run the CLI with one of its streams on a pseudo-terminal, as a user at a terminal would see it."""

import os
import select
import subprocess


def run_on_terminal(command, cwd, *, stream="stdout", env=None, timeout=60) -> str:
    """What `command` writes to `stream` ("stdout" or "stderr") when that stream is a terminal."""
    import pty

    main, child = pty.openpty()
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: child}
    process = subprocess.Popen(command, cwd=cwd, env=env, **streams)
    os.close(child)
    output = b""
    while select.select([main], [], [], timeout)[0]:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=timeout)
    os.close(main)
    return output.decode()
