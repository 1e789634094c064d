import Foundation

extension CronExpression {
    /// The first time after `date` (strictly later, whole minutes) that the schedule fires in `timeZone`, or nil when
    /// it never fires within five years (e.g. `0 0 30 2 *`). Used for `status.nextScheduledRun`.
    ///
    /// Wall-clock times that a daylight-saving jump skips do not fire, and a time repeated when clocks go back fires
    /// once (at its first occurrence), as with the CronJob controller.
    public func nextRun(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let minutes = values[0].sorted()
        let hours = values[1].sorted()
        guard var day = calendar.dateInterval(of: .day, for: date)?.start else { return nil }
        for _ in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if let year = parts.year, let month = parts.month, let dayOfMonth = parts.day, let weekday = parts.weekday,
               values[3].contains(month), dayMatches(dayOfMonth: dayOfMonth, dayOfWeek: weekday - 1) {
                for hour in hours {
                    for minute in minutes {
                        let wanted = DateComponents(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                        guard let candidate = calendar.date(from: wanted), candidate > date else { continue }
                        // A time inside a daylight-saving gap comes back shifted; it does not exist, so it does not fire.
                        let actual = calendar.dateComponents([.hour, .minute], from: candidate)
                        if actual.hour == hour && actual.minute == minute { return candidate }
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = calendar.startOfDay(for: next)
        }
        return nil
    }

    /// robfig/cron's rule: with either day field starred both must match, otherwise either may.
    func dayMatches(dayOfMonth: Int, dayOfWeek: Int) -> Bool {
        let domMatch = values[2].contains(dayOfMonth)
        let dowMatch = values[4].contains(dayOfWeek)
        return starred[2] || starred[4] ? domMatch && dowMatch : domMatch || dowMatch
    }
}
