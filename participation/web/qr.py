import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> bytes:
    """A crisp, scalable QR code; medium error correction survives a blurry projector."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    return image.to_string(encoding="unicode").encode()
