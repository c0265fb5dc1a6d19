#pragma once
/// @file hypsometry.hpp
/// Stage–area–volume relation of a lake basin (its hypsometry).
#include <vector>

namespace daihai::physics {

/// Hypsometry from a stage→area table: area is piecewise linear in stage between the table
/// rows, volume is its exact integral V(h) = ∫_{h0}^{h} A(z) dz (quadratic on each segment),
/// and stage from volume is the exact inverse (the root of that quadratic). Nothing is
/// extrapolated: a stage or volume beyond the table throws std::out_of_range.
///
/// Units: stage m a.s.l., area m², volume m³ (volume 0 at the first row's stage).
class Hypsometry {
public:
  /// @param stage_m strictly increasing stages (at least 2 rows);
  /// @param area_m2 areas at those stages, non-negative and non-decreasing.
  /// @throws std::invalid_argument on fewer than 2 rows, unequal lengths, a non-increasing
  ///         stage, a negative or decreasing area, or a non-finite value (the message names
  ///         the row, 0-based).
  Hypsometry(std::vector<double> stage_m, std::vector<double> area_m2);

  double bottom_m() const { return stage_.front(); }  ///< lowest stage of the table
  double top_m() const { return stage_.back(); }      ///< highest stage of the table
  double max_volume_m3() const { return volume_.back(); }  ///< volume at the top stage

  /// Area (m²) at stage `h` (m); throws std::out_of_range outside [bottom, top].
  double area_at_stage(double h) const;
  /// Volume (m³) below stage `h`; throws std::out_of_range outside [bottom, top].
  double volume_at_stage(double h) const;
  /// Stage (m) holding volume `v` (m³); throws std::out_of_range for v < 0 or v > max_volume.
  double stage_at_volume(double v) const;
  /// Area (m²) of the surface holding volume `v` (m³); same errors as stage_at_volume.
  double area_at_volume(double v) const;

  /// Stage (m) and area (m²) of the surface holding volume `v` (m³) with one table search and
  /// one square root (the hot path of the lake's right-hand side). Same values and errors as
  /// stage_at_volume() and area_at_volume().
  struct StageArea {
    double stage_m, area_m2;
  };
  StageArea stage_area_at_volume(double v) const;
  /// As above, starting the table search at `segment_hint` (the segment of the previous call,
  /// updated): a lake moves little between calls, so the search is usually one comparison.
  StageArea stage_area_at_volume(double v, std::size_t& segment_hint) const;

  const std::vector<double>& stages() const { return stage_; }
  const std::vector<double>& areas() const { return area_; }
  const std::vector<double>& volumes() const { return volume_; }  ///< cumulative volume at each row
  const std::vector<double>& slopes() const { return slope_; }    ///< dA/dh of each segment (rows − 1), m²/m

private:
  std::size_t segment_of_stage(double h) const;
  std::size_t segment_of_volume(double v) const;
  std::vector<double> stage_, area_, volume_;
  std::vector<double> slope_;  // dA/dh of each segment, m²/m
};

}  // namespace daihai::physics
