#include "core/date.hpp"

#include <charconv>
#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

namespace daihai::core {

namespace ch = std::chrono;

std::int64_t day_number(const Date& d) {
  const ch::year_month_day ymd{ch::year{d.year}, ch::month{static_cast<unsigned>(d.month)},
                               ch::day{static_cast<unsigned>(d.day)}};
  if (!ymd.ok()) throw std::invalid_argument(fmt::format("impossible date {}", format_date(d)));
  return ch::sys_days{ymd}.time_since_epoch().count();
}

Date date_of(std::int64_t n) {
  const ch::year_month_day ymd{ch::sys_days{ch::days{n}}};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

bool is_leap_year(int year) { return ch::year{year}.is_leap(); }

int days_in_month(int year, int month) {
  const ch::year_month_day_last last{ch::year{year}, ch::month_day_last{ch::month{static_cast<unsigned>(month)}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

int days_in_year(int year) { return is_leap_year(year) ? 366 : 365; }

int day_of_year(const Date& d) { return static_cast<int>(day_number(d) - day_number(Date{d.year, 1, 1})) + 1; }

void step_day(Date& d) {
  if (d.day < 28 || d.day < days_in_month(d.year, d.month)) {
    ++d.day;
  } else if (d.month < 12) {
    d.day = 1;
    ++d.month;
  } else {
    d = Date{d.year + 1, 1, 1};
  }
}

double fractional_year(const Date& d, int doy) { return d.year + (doy - 0.5) / days_in_year(d.year); }

Date parse_date(std::string_view text) {
  auto fail = [&] { return std::invalid_argument(fmt::format("'{}' is not a date YYYY-MM-DD", text)); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') throw fail();
  auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    auto r = std::from_chars(text.data() + pos, text.data() + pos + len, v);
    if (r.ec != std::errc{} || r.ptr != text.data() + pos + len) throw fail();
    return v;
  };
  Date d{num(0, 4), num(5, 2), num(8, 2)};
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) throw fail();
  return d;
}

std::string format_date(const Date& d) { return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day); }

}  // namespace daihai::core
