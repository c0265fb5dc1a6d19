#include "analysis/statistics.hpp"

#include <stdexcept>

namespace daihai::analysis {

double least_squares_slope(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) throw std::invalid_argument("least-squares slope needs at least two (x, y) pairs");
  const double n = static_cast<double>(x.size());
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  if (sxx == 0.0) throw std::invalid_argument("least-squares slope over a single distinct x");
  return sxy / sxx;
}

}  // namespace daihai::analysis
