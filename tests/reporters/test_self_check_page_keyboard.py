"""A keyboard-only walk through the primary journey, in headless Chromium.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: file
descriptors 3 and 4, messages ended by a NUL byte), which sends real key presses: Tab to the
next question, Space to choose, typing and Enter in a text box. The page is only read between
presses (the focused element, its outline, the next question, the verdict), never clicked.
Every request the tab starts is recorded: the page's own file, and nothing while it is
answered.

Skipped when ``chromium`` is not installed, unless ``MASTERYCHECK_REQUIRE_CHROMIUM`` is set.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from test_html_browser import FLAGS, chromium
from typer.testing import CliRunner

from masterycheck.cli.app import app

KEYS = {
    "Tab": ("Tab", 9, ""),
    "Space": (" ", 32, " "),
    "Enter": ("Enter", 13, "\r"),
}


def _high(fd: int) -> int:
    """``fd`` moved above 9, so that the child's 3 and 4 cannot clobber it."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class DevTools:
    """A minimal DevTools protocol client over Chromium's debugging pipe."""

    def __init__(self, work: Path) -> None:
        to_browser_read, self._write = (_high(fd) for fd in os.pipe())
        self._read, from_browser_write = (_high(fd) for fd in os.pipe())
        command = [
            chromium(),
            *FLAGS,
            f"--user-data-dir={work / 'profile'}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            command,
            pass_fds=(3, 4),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: (os.dup2(to_browser_read, 3), os.dup2(from_browser_write, 4)),
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next = 0
        self.session: str | None = None
        self.requests: list[str] = []  # every request the page's tab started

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command (to the page's session once attached) and wait for its answer."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if self.session is not None and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._read, 65536)
                assert chunk, "Chromium closed the pipe"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("method") == "Network.requestWillBeSent":
                self.requests.append(reply["params"]["request"]["url"])
            if reply.get("id") == self._next:
                assert "error" not in reply, reply
                result: dict[str, Any] = reply["result"]
                return result

    def open(self, url: str) -> None:
        """Open ``url`` in a new tab and attach to it."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.call("Network.enable")
        self.call("Page.navigate", url=url)
        for _ in range(200):
            if self.value(
                "document.readyState === 'complete' && !!document.querySelector('[data-verdict]')"
            ):
                return
        raise AssertionError("the page did not load")

    def value(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (read only)."""
        reply = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return reply["result"].get("value")

    def press(self, name: str) -> None:
        """Press and release one key."""
        key, code, text = KEYS[name]
        common = {"key": key, "code": key if name != "Space" else "Space"}
        common["windowsVirtualKeyCode"] = code  # type: ignore[assignment]
        self.call("Input.dispatchKeyEvent", type="keyDown", text=text, **common)
        self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    def type(self, text: str) -> None:
        """Type ``text`` into the focused element."""
        self.call("Input.insertText", text=text)

    def close(self) -> None:
        """Stop the browser started for the test."""
        self.process.terminate()
        self.process.wait(timeout=20)
        os.close(self._write)
        os.close(self._read)


LOADED = "document.readyState === 'complete' && !!document.querySelector('[data-verdict]')"
NEXT = "document.getElementById('questions').getAttribute('data-next-question')"
VERDICT = "document.querySelector('[data-programme=primary]').getAttribute('data-verdict')"
FOCUSED = """(function () {
  var node = document.activeElement, block = node && node.closest("fieldset");
  return {tag: node.tagName, type: node.type || "",
          field: block ? block.getAttribute("data-field") : "",
          next: !!(block && block.classList.contains("next")),
          outline: getComputedStyle(node).outlineStyle};
})()"""


def test_a_keyboard_alone_completes_the_primary_journey(tmp_path: Path) -> None:
    chromium()
    page = tmp_path / "primary.html"
    result = CliRunner().invoke(app, ["page", "primary", "-o", str(page)])
    assert result.exit_code == 0, result.output
    tools = DevTools(tmp_path)
    try:
        tools.open(page.resolve().as_uri())
        answered: list[str] = []
        for _ in range(40):  # questions
            wanted = tools.value(
                "document.getElementById('questions').getAttribute('data-next-question')"
            )
            if not wanted:
                break
            for _ in range(80):  # Tab until the question asked next has the focus
                tools.press("Tab")
                focused = tools.value(FOCUSED)
                if focused["next"]:
                    break
            assert focused["field"] == wanted and focused["outline"] != "none", focused
            if focused["type"] == "text":
                tools.type("2016-09-01" if "date" in wanted else "6")
                tools.press("Enter")
            else:  # the first choice: yes, QTS, an infant school, the first status...
                tools.press("Space")
            answered.append(wanted)
        verdict = tools.value(
            "document.querySelector('[data-programme=primary]').getAttribute('data-verdict')"
        )
        fragment = tools.value("location.hash")
    finally:
        tools.close()
    assert answered[0] == "qualified_status" and "school_type" in answered
    assert verdict == "eligible"
    assert tools.requests == [page.resolve().as_uri()]  # the page itself, then nothing
    assert all(f"{name}=" in fragment for name in answered)
