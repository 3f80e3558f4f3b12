"""Image helpers for the integration tests, built on the libvips CLI.

Python has no imaging library here, so pixels are compared by shelling out
to `vips` / `vipsheader`. Every helper works on bytes and uses a private
temporary directory.
"""

import pathlib
import shutil
import subprocess
import tempfile

VIPS = shutil.which("vips")
VIPSHEADER = shutil.which("vipsheader")


def _require_tools():
    if not VIPS or not VIPSHEADER:
        raise RuntimeError("the libvips CLI (vips, vipsheader from libvips-tools) is required")


def run_vips(*args, tool="vips"):
    """Runs a vips command; returns stdout, raises with stderr on failure."""
    _require_tools()
    cmd = [VIPS if tool == "vips" else VIPSHEADER] + [str(a) for a in args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


class Workdir:
    """A temporary directory for intermediate images (a context manager)."""

    def __enter__(self):
        self.path = pathlib.Path(tempfile.mkdtemp(prefix="gallery-it-img-"))
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)
        return False

    def write(self, name, data):
        p = self.path / name
        p.write_bytes(data)
        return p

    def file(self, name):
        return self.path / name


def header(data, suffix=".img"):
    """vipsheader -a of the bytes, as {field: value-text}."""
    with Workdir() as w:
        p = w.write("in" + suffix, data)
        out = run_vips("-a", p, tool="vipsheader")
    fields = {}
    for line in out.splitlines()[1:]:
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def size(data):
    """(width, height) of the image as stored."""
    with Workdir() as w:
        p = w.write("in.img", data)
        width = int(run_vips("-f", "width", p, tool="vipsheader").strip())
        height = int(run_vips("-f", "height", p, tool="vipsheader").strip())
    return width, height


def noise_jpeg(seed, width=64, height=48):
    """A small JPEG of Gaussian noise: distinct bytes for every seed."""
    with Workdir() as w:
        noise = w.file("noise.v")
        run_vips("gaussnoise", noise, width, height, "--seed", seed, "--sigma", 60)
        rgb = w.file("rgb.v")
        run_vips("bandjoin", f"{noise} {noise} {noise}", rgb)
        cast = w.file("cast.v")
        run_vips("cast", rgb, cast, "uchar")
        out = w.file("out.jpg")
        run_vips("jpegsave", cast, out, "--Q", 90, "--strip")
        return out.read_bytes()


def with_jpeg_comment(jpeg, comment):
    """The JPEG with a COM segment right after SOI: same pixels, new bytes."""
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    text = comment.encode() if isinstance(comment, str) else comment
    segment = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return jpeg[:2] + segment + jpeg[2:]


def read_vips_file(path):
    """(width, height, bands, pixels) of an uncompressed .v file of 8-bit
    or 16-bit samples; 16-bit samples are scaled to 8 bits."""
    raw = pathlib.Path(path).read_bytes()
    magic = raw[:4]
    if magic == b"\xb6\xa6\xf2\x08":
        order = "little"
    elif magic == b"\x08\xf2\xa6\xb6":
        order = "big"
    else:
        raise RuntimeError(f"{path} is not a vips file")

    def field(offset):
        return int.from_bytes(raw[offset:offset + 4], order)

    width, height, bands, band_format = field(4), field(8), field(12), field(20)
    count = width * height * bands
    if band_format == 0:  # uchar
        pixels = raw[64:64 + count]
    elif band_format == 2:  # ushort
        data = raw[64:64 + 2 * count]
        pixels = bytes(int.from_bytes(data[i:i + 2], order) >> 8 for i in range(0, len(data), 2))
    else:
        raise RuntimeError(f"{path}: unexpected band format {band_format}")
    if len(pixels) != count:
        raise RuntimeError(f"{path}: truncated pixel data")
    return width, height, bands, pixels


def _rgb_on_white(bands, pixels):
    """3-band pixels: grey expanded, alpha flattened on white."""
    if bands == 3:
        return pixels
    out = bytearray()
    for i in range(0, len(pixels), bands):
        px = pixels[i:i + bands]
        if bands in (1, 2):
            colour = (px[0], px[0], px[0])
        else:
            colour = px[:3]
        if bands in (2, 4):
            alpha = px[-1]
            colour = tuple((c * alpha + 255 * (255 - alpha)) // 255 for c in colour)
        out.extend(colour)
    return bytes(out)


# Pictures are compared at this longest edge at most: orientation mistakes
# are large-scale, and it keeps the pure-Python arithmetic quick.
COMPARE_EDGE = 256


def mean_abs_difference(derivative, original, autorotate=True):
    """Mean absolute difference (0..255 per sample) between a derivative and
    the original made upright (the `vips autorot` rules, applied by
    `vips thumbnail`) and scaled to the derivative's size. With
    autorotate=False the original is only scaled, as stored. The first frame
    of an animation is used; alpha is flattened on white."""
    with Workdir() as w:
        der = w.write("derivative.img", derivative)
        orig = w.write("original.img", original)
        small = w.file("der.v")
        run_vips("thumbnail", der, small, COMPARE_EDGE, "--height", COMPARE_EDGE,
                 "--size", "down")
        width, height, bands_a, a = read_vips_file(small)
        ref = w.file("ref.v")
        args = ["thumbnail", orig, ref, width, "--height", height, "--size", "force"]
        if not autorotate:
            args.append("--no-rotate")
        run_vips(*args)
        ref_w, ref_h, bands_b, b = read_vips_file(ref)
        if (ref_w, ref_h) != (width, height):
            raise RuntimeError(f"reference is {ref_w}x{ref_h}, wanted {width}x{height}")
    a = _rgb_on_white(bands_a, a)
    b = _rgb_on_white(bands_b, b)
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)
