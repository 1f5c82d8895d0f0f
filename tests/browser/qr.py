"""Reading a QR code off the rendered page, as a phone camera would (zbar, from Debian)."""

import shutil
import subprocess

from playwright.sync_api import Locator

from ..support.required import missing
from .conftest import SCREENSHOTS


def decode_qr(image: Locator, name: str) -> str:
    """Screenshots the element to test-artifacts/screenshots/<name>.png and decodes it."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        missing("zbarimg is not installed (apt-get install zbar-tools; .ci/run does)")
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.screenshot(path=str(path))
    return subprocess.run([zbarimg, "--raw", "-q", str(path)], check=True,
                          capture_output=True, text=True).stdout.strip()
