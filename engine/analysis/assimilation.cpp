#include "analysis/assimilation.hpp"

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "core/date.hpp"

namespace daihai::analysis {

const char* to_string(Monitored q) {
  switch (q) {
    case Monitored::level: return "level";
    case Monitored::area: return "area";
    case Monitored::volume: return "volume";
    case Monitored::tds: return "tds";
    default: return "aquifer_head";
  }
}

std::int64_t MonitoringRow::analysis_day() const { return instant ? day : core::day_number(core::Date{last_year, 12, 31}); }
std::int64_t MonitoringRow::first_day() const { return instant ? day : core::day_number(core::Date{first_year, 1, 1}); }
std::string MonitoringRow::where() const { return file.empty() ? std::string("<code>") : file + ":" + std::to_string(line); }

Eigen::MatrixXd enkf_analysis(const Eigen::MatrixXd& x, const Eigen::MatrixXd& hx, const Eigen::VectorXd& y, const Eigen::VectorXd& sd,
                              const EnkfOptions& options, const Eigen::MatrixXd& localization) {
  const Eigen::Index n_members = x.cols(), n = x.rows(), m = hx.rows();
  if (n_members < 2) throw std::invalid_argument("an ensemble Kalman filter needs at least two members");
  if (hx.cols() != n_members || y.size() != m || sd.size() != m)
    throw std::invalid_argument("enkf_analysis: the shapes of X, HX, y and sd do not match");
  if (!x.allFinite() || !hx.allFinite() || !y.allFinite() || !sd.allFinite()) throw std::invalid_argument("enkf_analysis: non-finite input");
  if ((sd.array() <= 0.0).any()) throw std::invalid_argument("enkf_analysis: an observation error sd <= 0");
  if (options.relaxation < 0.0 || options.relaxation > 1.0) throw std::invalid_argument("enkf_analysis: relaxation outside [0, 1]");
  if (localization.size() != 0 && (localization.rows() != n || localization.cols() != m))
    throw std::invalid_argument("enkf_analysis: the localisation is not n x m");
  const double nm1 = static_cast<double>(n_members - 1);
  // The state with the predicted observations appended: [X; HX].
  Eigen::MatrixXd z(n + m, n_members);
  z << x, hx;
  Eigen::VectorXd mean = z.rowwise().mean();
  Eigen::MatrixXd a = z.colwise() - mean;
  const Eigen::VectorXd prior_sd = (a.topRows(n).rowwise().squaredNorm() / nm1).cwiseSqrt();
  for (Eigen::Index i = 0; i < m; ++i) {
    const Eigen::RowVectorXd b = a.row(n + i);
    const double p = b.squaredNorm() / nm1, r = sd(i) * sd(i);
    if (p == 0.0 || !std::isfinite(p + r)) continue;  // the members do not differ in what it sees, or it says nothing
    Eigen::VectorXd k = a * b.transpose() / (nm1 * (p + r));
    if (localization.size() != 0) k.head(n).array() *= localization.col(i).array();
    const double alpha = 1.0 / (1.0 + std::sqrt(r / (p + r)));
    mean += k * (y(i) - mean(n + i));
    a -= alpha * k * b;
  }
  if (options.relaxation > 0.0)
    for (Eigen::Index i = 0; i < n; ++i) {
      const double sa = std::sqrt(a.row(i).squaredNorm() / nm1);
      if (sa > 0.0) a.row(i) *= (options.relaxation * prior_sd(i) + (1.0 - options.relaxation) * sa) / sa;
    }
  return (a.topRows(n).colwise() + mean.head(n));
}

std::vector<bool> background_check(const Eigen::MatrixXd& hx, const Eigen::VectorXd& y, const Eigen::VectorXd& sd) {
  if (hx.cols() < 2 || y.size() != hx.rows() || sd.size() != hx.rows())
    throw std::invalid_argument("background_check: the shapes of HX, y and sd do not match, or fewer than two members");
  std::vector<bool> ok;
  for (Eigen::Index i = 0; i < hx.rows(); ++i) {
    const double mean = hx.row(i).mean();
    const double var = (hx.row(i).array() - mean).square().sum() / static_cast<double>(hx.cols() - 1);
    ok.push_back(std::abs(y(i) - mean) <= kGrossErrorSd * std::sqrt(var + sd(i) * sd(i)));
  }
  return ok;
}

}  // namespace daihai::analysis
