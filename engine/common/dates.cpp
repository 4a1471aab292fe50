#include "engine/common/dates.hpp"

#include <array>

namespace perwal {

// Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian), or nullopt.
std::optional<int> days_from_date(std::string_view ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (ymd[i] < '0' || ymd[i] > '9') return -1;
      v = v * 10 + (ymd[i] - '0');
    }
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr std::array<int, 12> month_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > month_days[static_cast<std::size_t>(m - 1)] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  // Days from the civil date by 400-year eras (March-based years).
  const int yy = y - (m <= 2 ? 1 : 0);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int months_between(int from_day, int to_day) {
  const auto [y1, m1, d1] = civil_from_days(from_day);
  const auto [y2, m2, d2] = civil_from_days(to_day);
  int months = (y2 - y1) * 12 + (m2 - m1);
  // Whole months only: a month counts once its day is reached.
  if (to_day >= from_day && d2 < d1) --months;
  if (to_day < from_day && d2 > d1) ++months;
  return months;
}

std::array<int, 3> civil_from_days(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

}  // namespace perwal
