#pragma once
// A small batch some of whose runs fail, for the tests of failures in batches (threads, MPI).
namespace daihai::testing {

// A batch in which the runs with the Yellow River diversion fail: the scenario starts the lake near
// the top of the hypsometry table (1226.3 m of 1229.0 m) and the diversion delivers 500 m3/s all
// year from the start, so the lake leaves the table within months; without it the lake stays inside.
inline const char* kFailingBatch =
    "[batch]\n"
    "name = \"some_fail\"\n"
    "measures = [\"yellow_river_diversion\", \"cooling_retrofit\"]\n"
    "combinations = \"all\"\n"
    "members = 2\n"
    "\n"
    "[scenario]\n"
    "start = 1955-01-01\n"
    "end = 1958-12-31\n"
    "inputs = \"inputs\"\n"
    "series = \"monthly\"\n"
    "\n"
    "[climate]\n"
    "seed = 11\n"
    "\n"
    "[parameters]\n"
    "initial_level_m = 1226.3\n"
    "\n"
    "[measures.yellow_river_diversion]\n"
    "start = 1955-01-01\n"
    "flow_m3_per_s = 500.0\n"
    "days_per_year = 365\n"
    "season_start_doy = 1\n";

}  // namespace daihai::testing
