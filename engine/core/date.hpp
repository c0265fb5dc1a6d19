#pragma once
/// @file date.hpp
/// Proleptic Gregorian calendar dates and day numbers (days since 1970-01-01), the engine's
/// time axis. Leap days are real days: no 365-day years anywhere.
#include <cstdint>
#include <string>
#include <string_view>

namespace daihai::core {

/// A calendar date (proleptic Gregorian).
struct Date {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..days_in_month
  auto operator<=>(const Date&) const = default;
};

/// Days since 1970-01-01 of a date (negative before). Throws std::invalid_argument on an
/// impossible date (e.g. 2019-02-29).
std::int64_t day_number(const Date& d);
/// The date of a day number (inverse of day_number).
Date date_of(std::int64_t day_number);
/// True for Gregorian leap years.
bool is_leap_year(int year);
/// Days in a month (28..31), leap years counted.
int days_in_month(int year, int month);
/// 365 or 366.
int days_in_year(int year);
/// Day of year, 1..366.
int day_of_year(const Date& d);
/// Advances `d` to the next day (month and year ends, leap years), without a day-number round trip.
void step_day(Date& d);
/// Fractional year of a date: year + (day_of_year − 0.5) / days_in_year (mid-day).
double fractional_year(const Date& d, int day_of_year);
/// Parses `YYYY-MM-DD`; throws std::invalid_argument naming the text on anything else.
Date parse_date(std::string_view text);
/// Formats as `YYYY-MM-DD`.
std::string format_date(const Date& d);

/// Seconds in one day.
inline constexpr double kSecondsPerDay = 86400.0;

}  // namespace daihai::core
