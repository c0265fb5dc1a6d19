// The ensemble square-root filter against the Kalman filter's closed form, and the monitoring
// file's reader against good and bad rows.
#include <catch2/catch.hpp>

#include <cmath>

#include "analysis/assimilation.hpp"
#include "core/date.hpp"
#include "core/errors.hpp"
#include "io/monitoring_file.hpp"

using namespace daihai;

namespace {

double mean(const Eigen::RowVectorXd& r) { return r.mean(); }
double variance(const Eigen::RowVectorXd& r) { return (r.array() - r.mean()).square().sum() / static_cast<double>(r.size() - 1); }

}  // namespace

TEST_CASE("the square-root filter gives the Kalman analysis of the ensemble's statistics", "[assimilation]") {
  // Two state variables; the second observed directly. Kalman (scalar observation of x2):
  //   K = P·h / (hᵀPh + r),  mean_a = mean + K (y − mean2),  P_a = P − K hᵀP.
  const int n = 40;
  Eigen::MatrixXd x(2, n);
  for (int j = 0; j < n; ++j) {
    const double u = std::sin(1.3 * j + 0.4), v = std::cos(0.7 * j);
    x(0, j) = 10.0 + 2.0 * u + 0.5 * v;
    x(1, j) = 5.0 + 1.0 * u;
  }
  const Eigen::MatrixXd hx = x.row(1);
  const double y = 6.0, sd = 0.8, r = sd * sd;
  const Eigen::MatrixXd xa = analysis::enkf_analysis(x, hx, Eigen::VectorXd::Constant(1, y), Eigen::VectorXd::Constant(1, sd));
  const Eigen::MatrixXd a = x.colwise() - x.rowwise().mean();
  const Eigen::Matrix2d p = a * a.transpose() / (n - 1);
  const Eigen::Vector2d k = p.col(1) / (p(1, 1) + r);
  const Eigen::Vector2d mean_a = x.rowwise().mean() + k * (y - x.row(1).mean());
  const Eigen::Matrix2d p_a = p - k * p.row(1);
  CHECK(mean(xa.row(0)) == Approx(mean_a(0)).epsilon(1e-12));
  CHECK(mean(xa.row(1)) == Approx(mean_a(1)).epsilon(1e-12));
  CHECK(variance(xa.row(0)) == Approx(p_a(0, 0)).epsilon(1e-10));
  CHECK(variance(xa.row(1)) == Approx(p_a(1, 1)).epsilon(1e-10));
  // Scalar case by hand: posterior variance σb²σo²/(σb² + σo²) is below both.
  CHECK(variance(xa.row(1)) == Approx(p(1, 1) * r / (p(1, 1) + r)).epsilon(1e-10));
  // Relaxation to prior spread: α = 1 gives back the prior spread about the analysis mean.
  analysis::EnkfOptions relax;
  relax.relaxation = 1.0;
  const Eigen::MatrixXd xr = analysis::enkf_analysis(x, hx, Eigen::VectorXd::Constant(1, y), Eigen::VectorXd::Constant(1, sd), relax);
  CHECK(variance(xr.row(0)) == Approx(p(0, 0)).epsilon(1e-10));
  CHECK(mean(xr.row(0)) == Approx(mean_a(0)).epsilon(1e-12));
}

TEST_CASE("without observations, or with identical members, the analysis changes nothing", "[assimilation]") {
  Eigen::MatrixXd x(1, 3);
  x << 1.0, 2.0, 4.0;
  CHECK(analysis::enkf_analysis(x, Eigen::MatrixXd(0, 3), Eigen::VectorXd(0), Eigen::VectorXd(0)) == x);
  const Eigen::MatrixXd same = Eigen::MatrixXd::Constant(1, 3, 2.0);
  CHECK(analysis::enkf_analysis(x, same, Eigen::VectorXd::Constant(1, 9.0), Eigen::VectorXd::Constant(1, 1.0)) == x);
  CHECK_THROWS_AS(analysis::enkf_analysis(x.leftCols(1), x.leftCols(1), Eigen::VectorXd::Constant(1, 1.0), Eigen::VectorXd::Constant(1, 1.0)),
                  std::invalid_argument);
  CHECK_THROWS_AS(analysis::enkf_analysis(x, x, Eigen::VectorXd::Constant(1, 1.0), Eigen::VectorXd::Constant(1, 0.0)), std::invalid_argument);
}

TEST_CASE("a monitoring file reads instants, years and periods in SI", "[assimilation][monitoring]") {
  const auto rows = io::parse_monitoring(
      "# comment\nquantity,value,unit,time,sd,source,note\n"
      "area,57,km2,2015-12-31,6,S17,x\n"
      "tds,4658.6,mg/L,2004,1165,S4,\n"
      "level,1224.1,m,1958..2004,1.5,S3,\n",
      "m.csv");
  REQUIRE(rows.size() == 3);
  // In the order they are assimilated: 1958..2004 and 2004 after 2004-12-31, then 2015-12-31.
  CHECK(rows[0].quantity == analysis::Monitored::tds);
  CHECK(rows[0].value == Approx(4.6586));
  CHECK(rows[0].sd == Approx(1.165));
  CHECK(!rows[0].instant);
  CHECK(rows[1].quantity == analysis::Monitored::level);
  CHECK(rows[1].first_year == 1958);
  CHECK(rows[1].analysis_day() == core::day_number({2004, 12, 31}));
  CHECK(rows[2].value == Approx(57e6));
  CHECK(rows[2].instant);
  CHECK(rows[2].day == core::day_number({2015, 12, 31}));
  CHECK(rows[2].where() == "m.csv:3");
}

TEST_CASE("bad monitoring rows are load errors naming file, line and column", "[assimilation][monitoring]") {
  const std::string head = "quantity,value,unit,time,sd,source\n";
  auto fails = [&](const std::string& row, const std::string& column, const std::string& what) {
    INFO(row);
    try {
      io::parse_monitoring(head + row + "\n", "m.csv");
      FAIL("accepted");
    } catch (const core::InputError& e) {
      CHECK(e.file() == "m.csv");
      CHECK(e.line() == 2);
      CHECK(e.key() == column);
      CHECK_THAT(e.what(), Catch::Contains(what));
    }
  };
  fails("salinity,4,g/L,2004,1,S4", "quantity", "unknown quantity 'salinity'");
  fails("area,57,g/L,2016,6,S17", "unit", "does not fit the quantity 'area'");
  fails("area,57,km2,2016,,S17", "sd", "sd");
  fails("area,57,km2,2016,0,S17", "sd", "standard deviation > 0");
  fails("area,nan,km2,2016,6,S17", "value", "value");
  fails("area,inf,km2,2016,6,S17", "value", "value");
  fails("area,57,km2,2016-13-01,6,S17", "time", "expected a date YYYY-MM-DD");
  fails("area,57,km2,2005..2001,6,S17", "time", "first <= last");
  CHECK_THROWS_WITH(io::parse_monitoring(head, "m.csv"), Catch::Contains("no rows"));
  CHECK_THROWS_WITH(io::parse_monitoring("quantity,value,unit,time,source\narea,1,km2,2000,S\n", "m.csv"), Catch::Contains("sd"));
}

TEST_CASE("the background check rejects a figure beyond 5 sd of ensemble and observation together", "[assimilation]") {
  // Members 9, 10, 11: mean 10, variance 1. With sd 0: the limit is 5·√1 = 5; with sd 3: 5·√10 = 15.8.
  Eigen::MatrixXd hx(3, 3);
  hx << 9, 10, 11, 9, 10, 11, 9, 10, 11;
  Eigen::VectorXd y(3), sd(3);
  y << 14.9, 15.1, 25.0;
  sd << 1e-9, 1e-9, 3.0;
  CHECK(analysis::background_check(hx, y, sd) == std::vector<bool>{true, false, true});
  y(2) = 26.0;  // 16 > 15.8
  CHECK(analysis::background_check(hx, y, sd) == std::vector<bool>{true, false, false});
}

TEST_CASE("monitoring rows that cannot be figures are refused: negative sizes, boundless sd, a figure twice", "[assimilation][monitoring]") {
  const std::string head = "quantity,value,unit,time,sd,source\n";
  CHECK_THROWS_WITH(io::parse_monitoring(head + "area,-57,km2,2016,6,S\n", "m.csv"), Catch::Contains("m.csv:2") && Catch::Contains("cannot be negative"));
  CHECK_THROWS_WITH(io::parse_monitoring(head + "area,57,km2,2016,1e150,S\n", "m.csv"), Catch::Contains("says nothing"));
  CHECK_THROWS_WITH(io::parse_monitoring(head + "area,57,km2,2016,6,S\narea,58,km2,2016,6,T\n", "m.csv"),
                    Catch::Contains("m.csv:3") && Catch::Contains("given twice (line 2)"));
  // A level may be negative (a datum below sea level), and one year may hold an area and a TDS.
  CHECK(io::parse_monitoring(head + "level,-12,m,2016,0.1,S\narea,57,km2,2016,6,S\ntds,5,g/L,2016,1,S\n", "m.csv").size() == 3);
}
