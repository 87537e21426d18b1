"""Writes real, tiny sdists for the pip oracle: PKG-INFO, a pyproject.toml naming an in-tree PEP 517 backend
(backend-path = ["."]) and that backend, so pip builds their metadata offline with --no-build-isolation.
Usage: python3 make_sdists.py <filenames.json> <output folder>"""
import io
import json
import os
import sys
import tarfile
import zipfile

BACKEND = '''import os
import zipfile


def _metadata():
    with open("PKG-INFO", encoding="utf-8") as f:
        return f.read()


def _name_version():
    name = version = None
    for line in _metadata().splitlines():
        if line.startswith("Name: "):
            name = line[len("Name: "):]
        elif line.startswith("Version: "):
            version = line[len("Version: "):]
    return name, version


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    name, version = _name_version()
    dist_info = name.replace("-", "_") + "-" + version + ".dist-info"
    os.makedirs(os.path.join(metadata_directory, dist_info), exist_ok=True)
    with open(os.path.join(metadata_directory, dist_info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    return dist_info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version = _name_version()
    base = name.replace("-", "_") + "-" + version
    filename = base + "-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w") as wheel:
        wheel.writestr(base + ".dist-info/METADATA", _metadata())
        wheel.writestr(base + ".dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: indextools-oracle\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
        wheel.writestr(base + ".dist-info/RECORD", "")
    return filename


def build_sdist(sdist_directory, config_settings=None):
    name, version = _name_version()
    filename = name.replace("-", "_") + "-" + version + ".tar.gz"
    with open("PKG-INFO", "rb") as source, open(os.path.join(sdist_directory, filename), "wb") as target:
        target.write(source.read())
    return filename
'''

PYPROJECT = '[build-system]\nrequires = []\nbuild-backend = "oracle_backend"\nbackend-path = ["."]\n'


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        filenames = json.load(f)
    out = sys.argv[2]
    for filename in filenames:
        for ext in (".tar.gz", ".tar.bz2", ".zip"):
            if filename.endswith(ext):
                break
        else:
            raise SystemExit("not an sdist name: " + filename)
        stem = filename[: -len(ext)]
        name, version = stem.rsplit("-", 1)
        members = {
            "PKG-INFO": "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n",
            "pyproject.toml": PYPROJECT,
            "oracle_backend.py": BACKEND,
        }
        path = os.path.join(out, filename)
        if ext == ".zip":
            with zipfile.ZipFile(path, "w") as archive:
                for member, text in members.items():
                    archive.writestr(zipfile.ZipInfo(stem + "/" + member, (2020, 1, 1, 0, 0, 0)), text)
        else:
            with tarfile.open(path, "w:gz" if ext == ".tar.gz" else "w:bz2") as archive:
                for member, text in members.items():
                    data = text.encode("utf-8")
                    info = tarfile.TarInfo(stem + "/" + member)
                    info.size = len(data)
                    info.mtime = 1577836800
                    archive.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()
