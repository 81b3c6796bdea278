// The generated SMMoney comes from shop/money.proto (build-tool plugin); this file gives the
// target a Swift source of its own, as SwiftPM requires.
extension SMMoney {
    /// `12.50 EUR`.
    public var text: String {
        let cents = abs(Int(nanos) / 10_000_000)
        return "\(units).\(cents < 10 ? "0" : "")\(cents) \(currency)"
    }
}
