#pragma once
/// @file observations.hpp
/// Published observations of a lake (one figure each) and their simulated counterparts, computed
/// from a run's annual means; the weighted objective a calibration minimises. Pure: no I/O, no
/// HDF5 (the reader is io/observations_file.hpp, the comparison with a results file
/// batch/validation.hpp).
///
/// Definitions (those of the header of `shared/daihai/observations.csv`). Every kind is evaluated
/// on ANNUAL MEANS (AnnualSeries) over the inclusive calendar years start..end:
/// | kind                    | file unit | simulated value                                               |
/// |-------------------------|-----------|---------------------------------------------------------------|
/// | `level_change`          | m         | L(end) - L(start)                                             |
/// | `level_trend`           | m/a       | least-squares slope of L(y) over start..end                   |
/// | `level`                 | m a.s.l.  | mean of L(y) over start..end                                  |
/// | `area_change`           | km2       | A(end) - A(start)                                             |
/// | `area_rate`             | km2/a     | (A(end) - A(start)) / (end - start)                           |
/// | `area`                  | km2       | mean of A(y) over start..end                                  |
/// | `volume_change`         | m3        | V(end) - V(start)                                             |
/// | `volume_rate`           | m3/a      | (V(end) - V(start)) / (end - start)                           |
/// | `volume`                | m3        | mean of V(y) over start..end                                  |
/// | `depth_mean`            | m         | mean over start..end of V(y) / A(y) (annual mean depth)        |
/// | `tds`                   | g/L       | mean of TDS(y) over start..end                                |
/// | `groundwater_discharge` | m3/a      | mean over start..end of the annual GROSS groundwater inflow   |
/// |                         |           | into the lake (`groundwater_inflow_m3` from the aquifer plus  |
/// |                         |           | `external_groundwater_inflow_m3`): seepage out of the lake is |
/// |                         |           | not subtracted (isotope mixing estimates a gross discharge)   |
/// | `evaporation_depth`     | mm/a      | mean over start..end of the lake's annual evaporation over    |
/// |                         |           | its annual mean area, −lake_evaporation_m3 / A (a prior from  |
/// |                         |           | pans: evaporation of the lake as modelled, multiplier included)|
/// | `aquifer_tds`           | g/L       | mean over start..end of the aquifer's annual mean TDS          |
/// |                         |           | (`aquifer_tds_g_per_L`: the basin's groundwater)               |
/// L, A, V, TDS: annual means of `level_m`, `area_m2`, `volume_m3`, `tds_g_per_L`. Inside the
/// engine every value is SI (m, m2, m3, m/a, m2/a, m3/a, g/L); km2 in a file is 1e6 m2.
///
/// Missing years (NaN in an AnnualSeries, e.g. a gap in an observed record or a fill value):
/// - means and trends skip them and count them; a mean needs one valid year, a trend two;
/// - changes and rates use only the end-point years. A missing end point moves inward to the
///   nearest valid year (start' >= start, end' <= end); the years passed over are counted; the
///   rate is (X(end') - X(start')) / (end' - start') and the change is that rate times
///   (end - start) (linear over the period). Two valid years are needed.
/// - Too few valid years -> NoSimulatedValue (never a silent NaN).
/// `skipped_years` counts the years the definition uses that were missing.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/run_result.hpp"

namespace daihai::analysis {

/// The kinds of observation (see the table in the file comment).
enum class ObservationKind {
  level_change,
  level_trend,
  level,
  area_change,
  area_rate,
  area,
  volume_change,
  volume_rate,
  volume,
  depth_mean,
  tds,
  groundwater_discharge,
  evaporation_depth,
  aquifer_tds,
};

/// All kinds, in the order of the enum.
inline constexpr ObservationKind kAllObservationKinds[] = {
    ObservationKind::level_change,  ObservationKind::level_trend, ObservationKind::level,
    ObservationKind::area_change,   ObservationKind::area_rate,   ObservationKind::area,
    ObservationKind::volume_change, ObservationKind::volume_rate, ObservationKind::volume,
    ObservationKind::depth_mean,    ObservationKind::tds,         ObservationKind::groundwater_discharge,
    ObservationKind::evaporation_depth, ObservationKind::aquifer_tds};

/// Name as written in observation files (`level_change`, ...).
const char* to_string(ObservationKind kind);
/// The kind named `name`, or nullopt.
std::optional<ObservationKind> parse_kind(std::string_view name);
/// SI unit of the kind's values inside the engine (`m`, `m/a`, `m2`, `m2/a`, `m3`, `m3/a`, `g/L`).
const char* si_unit(ObservationKind kind);
/// Factor from `unit` (as written in a file) to the kind's SI unit, or nullopt when the unit does
/// not fit the kind. Accepted: level_change m|cm; level_trend m/a|cm/a; level m; area_change
/// km2|m2; area_rate km2/a|m2/a; area km2|m2|ha; volume_change m3|km3; volume_rate m3/a;
/// volume m3|km3; depth_mean m; tds and aquifer_tds g/L|mg/L|kg/m3; groundwater_discharge m3/a;
/// evaporation_depth mm/a|m/a.
std::optional<double> unit_factor(ObservationKind kind, std::string_view unit);
/// The units unit_factor() accepts for `kind`, as "a, b or c" (for error messages).
std::string accepted_units(ObservationKind kind);
/// True for kinds defined between two different years (changes, rates, trends): end > start.
bool needs_two_years(ObservationKind kind);

/// The annual series an observation is computed from (names of the `/annual` datasets).
enum class SeriesVariable { level, area, volume, tds, groundwater_inflow, evaporation, aquifer_tds };
/// The `/annual` datasets (RunResult annual variables) whose sum is `variable`: level_m,
/// area_m2, volume_m3, tds_g_per_L; groundwater_inflow_m3 and external_groundwater_inflow_m3
/// (those the model has: at least one); lake_evaporation_m3; aquifer_tds_g_per_L.
std::vector<std::string> annual_variable_names(SeriesVariable variable);
/// The series `kind` reads (depth_mean: volume and area).
std::vector<SeriesVariable> inputs_of(ObservationKind kind);

/// One published figure.
struct Observation {
  ObservationKind kind = ObservationKind::level;
  double value = 0.0;           ///< SI (m, m2, m3, m/a, m2/a, m3/a, g/L)
  double value_as_given = 0.0;  ///< as written in the file, in `unit`
  std::string unit;             ///< unit as written (e.g. `km2`)
  double to_si = 1.0;           ///< value = value_as_given * to_si (also converts tolerance and errors back)
  int start = 0;                ///< first calendar year (inclusive)
  int end = 0;                  ///< last calendar year (inclusive)
  std::string source;           ///< source id (SOURCES.md)
  char confidence = 'H';        ///< 'H' peer-reviewed and specific, 'M' official/secondary, 'L' old or inconsistent
  double tolerance = 0.0;       ///< absolute, SI, > 0: how far a simulated value may be and still reproduce it
  bool tolerance_from_file = false;  ///< false when default_tolerance() supplied it
  std::string note;
  std::string file;  ///< file it was read from ("" when built in code)
  int line = 0;      ///< its line in that file (0 when built in code)

  /// "file:line" (or "<code>" when built in code), for messages.
  std::string where() const;
  /// "file:line: kind start..end", for messages.
  std::string describe() const;
};

/// Default absolute tolerance (SI) of an observation whose file has no tolerance:
///   tolerance = c(confidence) * max(r(kind) * |value|, floor(kind)),  c: H 1, M 1.25, L 1.5,
/// | kind                  | r    | floor      | kind                  | r    | floor       |
/// | level_change          | 0.15 | 0.3 m      | volume_change         | 0.25 | 1e8 m3      |
/// | level_trend           | 0.25 | 0.1 m/a    | volume_rate           | 0.25 | 1e6 m3/a    |
/// | level                 | 0    | 1.5 m      | volume                | 0.15 | 1e8 m3      |
/// | area_change           | 0.25 | 5 km2      | depth_mean            | 0.20 | 0.5 m       |
/// | area_rate             | 0.25 | 0.5 km2/a  | tds                   | 0.20 | 0.3 g/L     |
/// | area                  | 0.10 | 5 km2      | groundwater_discharge | 0.30 | 2e6 m3/a    |
/// Chosen to reproduce the tolerances the Daihai file states for its own rows (within about
/// 30 %: e.g. 25 % of S1's volume rates, 1.5 m on a level whose datum is unknown, 0.10 m/a on
/// gauge trends over 13-17 years); a level is a stage above an unknown datum, so no relative part.
/// Throws std::invalid_argument for a confidence other than H, M, L.
double default_tolerance(ObservationKind kind, char confidence, double value_si);

/// Annual means of one run (or of a record). All vectors have years.size() entries, except that
/// a series nothing asks for may be empty; a missing year is NaN.
struct AnnualSeries {
  std::vector<int> years;                     ///< consecutive calendar years
  std::vector<double> level_m;                ///< annual mean level [m a.s.l.]
  std::vector<double> area_m2;                ///< annual mean area [m2]
  std::vector<double> volume_m3;              ///< annual mean volume [m3]
  std::vector<double> tds_g_per_L;            ///< annual mean TDS [g/L]
  std::vector<double> groundwater_inflow_m3;  ///< annual total GROSS groundwater inflow into the lake [m3]
  std::vector<double> evaporation_m3;         ///< annual total evaporation from the lake [m3] (− out of the lake)
  std::vector<double> aquifer_tds_g_per_L;    ///< annual mean TDS of the aquifer [g/L]

  /// The vector of `variable`.
  const std::vector<double>& of(SeriesVariable variable) const;
  std::vector<double>& of(SeriesVariable variable);
};

/// The AnnualSeries of a successful run (its `annual` variables named as annual_variable_name();
/// a variable the run lacks stays empty). Throws std::invalid_argument for a failed run.
AnnualSeries annual_series(const scenario::RunResult& run);

/// Too few valid (non-NaN) years in an observation's period to compute its simulated value.
class NoSimulatedValue : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The simulated counterpart of `observation` on `series` (SI, as Observation::value), by the
/// definitions of the file comment. `skipped_years` (optional) receives the number of years of
/// the period the definition uses that were NaN.
/// Throws std::out_of_range naming the observation (file:line) when a year of start..end is not
/// on the series' axis; NoSimulatedValue when too few years are valid; std::invalid_argument
/// when a series the kind needs is missing or has a length other than years.size(), or a
/// change/rate/trend has end <= start.
double simulate(const Observation& observation, const AnnualSeries& series, int* skipped_years = nullptr);

/// Weights of the objective by confidence.
struct ObjectiveWeights {
  double high = 1.0;     ///< 'H'
  double medium = 0.5;   ///< 'M'
  double low = 0.25;     ///< 'L'
  /// The weight of `confidence`; throws std::invalid_argument for another letter.
  double of(char confidence) const;
};

/// Weighted sum of squared normalised errors:
///   J = sum_i w(conf_i) * ((sim_i - obs_i) / tol_i)^2
/// with obs_i = observations[i].value, tol_i = observations[i].tolerance (both SI),
/// sim_i = simulated[i] (SI), w from `weights` (defaults H 1, M 0.5, L 0.25). A row within its
/// tolerance adds at most w_i. Throws std::invalid_argument when the sizes differ, a simulated
/// value is not finite or a tolerance is not > 0 (never returns NaN).
double objective(const std::vector<Observation>& observations, const std::vector<double>& simulated,
                 const ObjectiveWeights& weights = {});

}  // namespace daihai::analysis
