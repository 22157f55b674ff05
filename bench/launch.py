"""Starts one measured command and writes ``seconds peak_bytes exit_code cpu_seconds`` to a file.

Why a separate, small process: on Linux a child's peak memory (``ru_maxrss``) counts the memory of
the process that started it, up to the moment it starts the command; the benchmark itself holds
hundreds of megabytes of generated data, so it would be counted for every command. Started from
here, a command is charged with this launcher's few megabytes at most, below any kundkit process.
The time is taken here too, so the launcher's own start-up is not in it.

Usage: ``python -S bench/launch.py RESULT_FILE PROGRAM [ARGS...]`` (stdio, folder and environment
are passed through to PROGRAM).
"""

import os
import sys
import time

# ru_maxrss is in KiB on Linux and in bytes on macOS.
_UNIT = 1 if sys.platform == "darwin" else 1024


def main() -> int:
    result, argv = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ)
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    with open(result, "w") as out:
        cpu = usage.ru_utime + usage.ru_stime
        out.write(f"{seconds!r} {usage.ru_maxrss * _UNIT} {os.waitstatus_to_exitcode(status)} {cpu!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
