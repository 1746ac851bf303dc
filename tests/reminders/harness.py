"""Real Celery worker and beat subprocesses, a throwaway Redis and a tiny SMTP server for the fault tests."""

import email
import os
import signal
import socketserver
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(ROOT / ".venv" / "bin" / "celery")


def wait_until(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Proc:
    """A subprocess in its own process group, killed (SIGKILL) or stopped at the end."""

    def __init__(self, args, env, log: Path):
        self.args, self.env, self.log = args, env, log
        self.popen = None

    def start(self):
        out = open(self.log, "ab")
        self.popen = subprocess.Popen(
            self.args, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def kill(self):
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def stop(self):
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def worker(env, tmp: Path, name="w1") -> Proc:
    return Proc(
        [
            CELERY,
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-l",
            "info",
            "-n",
            f"{name}@%h",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        env,
        tmp / f"{name}.log",
    )


def beat(env, tmp: Path) -> Proc:
    return Proc([CELERY, "-A", "config", "beat", "-l", "info", "-s", str(tmp / "beat-schedule")], env, tmp / "beat.log")


def redis_server(port: int, tmp: Path) -> Proc:
    return Proc(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
        ],
        os.environ.copy(),
        tmp / f"redis-{port}.log",
    )


def mail_files(path: Path) -> list[email.message.Message]:
    """Messages the file-based e-mail backend wrote (one file per connection, messages separated by dashes)."""
    messages = []
    for file in sorted(path.glob("*.log")):
        for chunk in file.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


class SMTPServer:
    """An SMTP server on 127.0.0.1 that answers 421 to the first `refuse` connections, then accepts mail."""

    def __init__(self, refuse: int = 0):
        self.refuse, self.refused, self.messages = refuse, 0, []
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                if owner.refused < owner.refuse:
                    owner.refused += 1
                    self.wfile.write(b"421 4.3.2 Service not available, try later\r\n")
                    return
                self.wfile.write(b"220 localhost ESMTP test\r\n")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"EHLO":
                        self.wfile.write(b"250-localhost\r\n250 8BITMIME\r\n")
                    elif verb == b"DATA":
                        self.wfile.write(b"354 go ahead\r\n")
                        data = []
                        while (part := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(part)
                        owner.messages.append(email.message_from_bytes(b"".join(data)))
                        self.wfile.write(b"250 2.0.0 queued\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 OK\r\n")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
