"""Public addresses of measures, shared by pages that link to them."""


def measure_path(measure_id: int) -> str:
    return f"/atgarder/{measure_id}"
