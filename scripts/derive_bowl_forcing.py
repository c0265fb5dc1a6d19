#!/usr/bin/python3
"""Writes scenarios/examples/closed_bowl/forcing.csv: daily precipitation and open-water evaporation
(mm/d) for 2014-2018, as daihai derives them from the observed Hohhot 53463 record
(scenarios/examples/hohhot_2014-2018_forcing.csv) with Daihai's site constants: Penman (1948) in the
form of Shuttleworth (1993) for fresh water, zero on ice-covered days (inputs/SOURCES.md, climate).

Usage: scripts/derive_bowl_forcing.py RESULTS.h5 OUT.csv, where RESULTS.h5 is the daily run of
scenarios/examples/plain_lake_observed_forcing.toml (its precipitation_mm and
open_water_evaporation_mm series are the forcing diagnostics of the run)."""
import datetime
import sys

import h5py


def main(results, out):
    with h5py.File(results, "r") as f:
        g = f["series/daily"]
        days = g["time"][...]
        precip = g["precipitation_mm"][0, :]
        evap = g["open_water_evaporation_mm"][0, :]
    epoch = datetime.date(1970, 1, 1)
    with open(out, "w", encoding="utf-8") as o:
        o.write("# Daily forcing of the closed bowl, 2014-2018: precipitation observed at Hohhot 53463 and the fresh\n")
        o.write("# open-water evaporation daihai derives from that record (Penman; 0 on ice days). Made by\n")
        o.write("# scripts/derive_bowl_forcing.py; inputs/SOURCES.md, closed bowl section.\n")
        o.write("date,precip_mm,evap_mm\n")
        for d, p, e in zip(days, precip, evap):
            o.write(f"{epoch + datetime.timedelta(days=int(d))},{p:.2f},{e:.3f}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
