"""File I/O: the only part of darkroom that reads or writes files."""

from darkroom.io.files import list_images, read_idx, read_kernels
from darkroom.io.image import DEFAULT_MAX_PIXELS, ImageFile, read_image, write_bytes_atomic, write_image

__all__ = [
    "DEFAULT_MAX_PIXELS", "ImageFile", "list_images", "read_idx", "read_image", "read_kernels",
    "write_bytes_atomic", "write_image",
]
