extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.min` and `Int64.max` instead of
    /// overflowing (a deadline or timeout from a peer can be any length). The one conversion the
    /// transports and observability use.
    package var saturatingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, sumOverflow) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return sumOverflow ? (seconds < 0 ? .min : .max) : total
    }
}
