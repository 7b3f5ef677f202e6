import sysconfig
from pathlib import Path

import swapwire
from swapwire import _binding


def test_the_installed_package_is_the_one_tested():
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert Path(swapwire.__file__).resolve().is_relative_to(site), swapwire.__file__
    assert (Path(swapwire.__file__).parent / "py.typed").exists()


def test_enum_numbers_are_the_c_headers():
    lib = _binding.lib
    pairs = [
        (swapwire.Kind, "KIND"),
        (swapwire.Status, "STATUS"),
        (swapwire.Handover, "HANDOVER"),
        (swapwire.Qualifier, "QUALIFIER"),
        (swapwire.Precision, "PRECISION"),
        (swapwire.Category, "CATEGORY"),
        (swapwire.Population, "POPULATION"),
        (swapwire.SourceKind, "SOURCE"),
        (swapwire.Field, "FIELD"),
        (swapwire.Reason, "REASON"),
    ]
    for enum, prefix in pairs:
        for member in enum:
            assert getattr(lib, f"SWAPWIRE_{prefix}_{member.name}") == member, (prefix, member)
        defined = [n for n in dir(lib) if n.startswith(f"SWAPWIRE_{prefix}_")]
        if prefix == "SOURCE":
            defined = [n for n in defined if not n.endswith("MAX_SIZE")]
        assert len(defined) == len(enum), (prefix, defined)


def test_every_status_has_its_exception_class():
    lib = _binding.lib
    for cls in swapwire.errors.BY_STATUS.values():
        name = "".join("_" + c if c.isupper() else c for c in cls.__name__).lstrip("_").upper()
        assert getattr(lib, f"SWAPWIRE_{name}") == cls.status, cls
        assert issubclass(cls, swapwire.Error)
    assert len(swapwire.errors.BY_STATUS) == lib.SWAPWIRE_TOO_LARGE_FOR_LINK  # 1 to the last status, none left out
    assert sorted(swapwire.errors.BY_STATUS) == list(range(1, lib.SWAPWIRE_TOO_LARGE_FOR_LINK + 1))


def test_versions_and_sizes():
    assert _binding.lib.swapwire_version() == _binding.lib.SWAPWIRE_VERSION
    assert swapwire.RECORD_MAX_SIZE == 208
    assert swapwire.MAX_NAME_LEN == 64
