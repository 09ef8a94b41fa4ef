"""File I/O: the only part of darkroom that reads or writes files."""

from darkroom.io.datasets import LabeledArrays, read_cifar10, read_image_folder, read_labeled, read_mnist
from darkroom.io.files import list_images, read_idx, read_kernel, read_kernels
from darkroom.io.locations import data_root
from darkroom.io.image import DEFAULT_MAX_PIXELS, ImageFile, read_image, write_bytes_atomic, write_image
from darkroom.io.weights import read_state_dict, read_weights, write_weights

__all__ = [
    "DEFAULT_MAX_PIXELS", "ImageFile", "data_root", "LabeledArrays", "read_cifar10", "read_image_folder", "read_labeled", "read_mnist", "read_state_dict", "read_weights", "write_weights", "list_images", "read_idx", "read_image", "read_kernel", "read_kernels",
    "write_bytes_atomic", "write_image",
]
