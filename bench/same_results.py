#!/usr/bin/python3
"""Whether two daihai results files hold the same results: every group and dataset of one is in
the other with the same shape, type and values (NaN equals NaN), and every attribute
is equal but the ones that say when or how the file was written (creation_time, the resume
bookkeeping). Used by bench/kill_resume.sh to compare a resumed file with an uninterrupted one.

Usage: /usr/bin/python3 bench/same_results.py A.h5 B.h5
Exit 0 and prints "same" when they agree; exit 1 and prints the first difference otherwise.
"""
import sys

import h5py
import numpy as np

# Attributes that record the writing, not the results.
WRITING = {"creation_time", "resume_runs", "resume_digest", "daihai_partial", "written_in_parallel"}


def same_value(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind in "fc":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def attributes_differ(name, x, y):
    keys = (set(x.attrs) | set(y.attrs)) - WRITING - {"DIMENSION_LIST", "REFERENCE_LIST"}
    for k in sorted(keys):
        if k not in x.attrs or k not in y.attrs:
            return f"{name}: attribute {k} only in one file"
        if not same_value(x.attrs[k], y.attrs[k]):
            return f"{name}: attribute {k} differs"
    return None


def first_difference(a, b):
    names_a, names_b = [], []
    a.visit(names_a.append)
    b.visit(names_b.append)
    if sorted(names_a) != sorted(names_b):
        only = sorted(set(names_a) ^ set(names_b))
        return f"objects in one file only: {only[:5]}"
    diff = attributes_differ("/", a, b)
    if diff:
        return diff
    for name in sorted(names_a):
        x, y = a[name], b[name]
        if isinstance(x, h5py.Dataset) != isinstance(y, h5py.Dataset):
            return f"{name}: a dataset in one file, a group in the other"
        if isinstance(x, h5py.Dataset) and not same_value(x[()], y[()]):
            return f"{name}: values differ"
        diff = attributes_differ(name, x, y)
        if diff:
            return diff
    return None


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with h5py.File(sys.argv[1], "r") as a, h5py.File(sys.argv[2], "r") as b:
        diff = first_difference(a, b)
    print(diff or "same")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
