"""Checks that a daihai result file opens in netCDF-4 / xarray with named dimensions.

Usage: check_netcdf_layout.py FILE.h5 [--verification]
Exit codes: 0 all checks passed, 1 a check failed (message on stderr), 77 xarray or netCDF4
missing (the calling test skips).
"""
import sys

try:
    import numpy as np
    import netCDF4  # noqa: F401  (the engine xarray uses below)
    import xarray as xr
    import h5py
except ImportError as exc:  # pragma: no cover
    print(f"skip: {exc}")
    sys.exit(77)


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


path = sys.argv[1]
want_verification = "--verification" in sys.argv[2:]

expected = {
    "runs": {"scenario": ("run",), "status": ("run",), "error": ("run",),
             "climate_member": ("run",), "parameter_member": ("run",),
             "delta_t_C": ("run",), "delta_p_pct": ("run",)},
    "initial": {},
    "final": {},
    "annual": {"area_m2": ("run", "year")},
    "series/monthly": {"evaporation_m3": ("run", "time"), "time_bnds": ("time", "nv")},
    "balance": {"water_residual_m3": ("run",), "salt_residual_kg": ("run",),
                "steps": ("run",), "rejected_steps": ("run",)},
}
if want_verification:
    expected["verification"] = {"runs": ("scenario",), "area_m2_median": ("scenario",),
                                "delta_t_C": ("scenario",)}
    expected["verification/by_year"] = {"area_m2": ("scenario", "quantile", "year"),
                                        "delta_t_C": ("scenario",)}

for group, variables in expected.items():
    ds = xr.open_dataset(path, group=group, engine="netcdf4")
    for name, dims in variables.items():
        if name not in ds.variables:
            fail(f"/{group}/{name} missing; have {sorted(ds.variables)}")
        if ds[name].dims != dims:
            fail(f"/{group}/{name} dims {ds[name].dims}, expected {dims}")
    for name, var in ds.variables.items():
        if "long_name" not in var.attrs:
            fail(f"/{group}/{name} lacks long_name")
        if "units" not in var.attrs and not (name == "time" or name == "time_bnds"):
            fail(f"/{group}/{name} lacks units")
    if group == "series/monthly":
        if not np.issubdtype(ds["time"].dtype, np.datetime64):
            fail(f"/series/monthly/time not decoded as datetime: {ds['time'].dtype}")
        if str(ds["time"].values[0])[:10] != "2015-01-01":
            fail(f"/series/monthly/time[0] = {ds['time'].values[0]}")
    if group == "annual":
        if ds["year"].dtype.kind not in "iu":
            fail(f"/annual/year has dtype {ds['year'].dtype}")
    ds.close()

# Raw check with h5py: no NaN anywhere, a _FillValue on every non-coordinate numeric dataset.
coordinates = {"run", "year", "time", "nv", "scenario", "quantile"}


def visit(name, obj):
    if not isinstance(obj, h5py.Dataset):
        return
    base = name.rsplit("/", 1)[-1]
    if obj.dtype.kind == "f":
        data = obj[()]
        if np.isnan(data).any() or np.isinf(data).any():
            fail(f"/{name} holds NaN or infinity")
    if obj.dtype.kind in "fi" and base not in coordinates and "_FillValue" not in obj.attrs:
        fail(f"/{name} has no _FillValue")


with h5py.File(path, "r") as f:
    f.visititems(visit)

print("OK")
