"""Reading a QR code off the rendered page, as a phone camera would (zbar, from Debian)."""

import os
import shutil
import subprocess

import pytest
from playwright.sync_api import Locator

from .conftest import SCREENSHOTS


def decode_qr(image: Locator, name: str) -> str:
    """Screenshots the element to test-artifacts/screenshots/<name>.png and decodes it."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        if os.environ.get("CI") == "true":
            pytest.fail("zbarimg is missing: .ci/run installs zbar-tools")
        pytest.skip("zbarimg not installed (apt-get install zbar-tools)")
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.screenshot(path=str(path))
    return subprocess.run([zbarimg, "--raw", "-q", str(path)], check=True,
                          capture_output=True, text=True).stdout.strip()
