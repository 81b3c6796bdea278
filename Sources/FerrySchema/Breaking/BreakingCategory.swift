/// A set of breaking-change rules with one purpose, named as buf names them.
///
/// The categories nest from strict to lenient: ``file`` protects generated code file by file,
/// ``package`` generated code package by package (types may move between a package's files),
/// ``wireJSON`` the binary and JSON encodings, and ``wire`` the binary encoding alone.
/// docs/compatibility.md lists the rules of each.
public enum BreakingCategory: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Generated code keeps compiling, file by file: nothing is deleted, renamed or retyped.
    case file = "FILE"
    /// Like ``file``, but a type may move to another file of the same package.
    case package = "PACKAGE"
    /// Data written in either the binary or the JSON encoding is still read the same way.
    case wireJSON = "WIRE_JSON"
    /// Data written in the binary encoding is still read the same way.
    case wire = "WIRE"

    /// The category's name as buf spells it: `FILE`, `PACKAGE`, `WIRE_JSON` or `WIRE`.
    public var description: String { rawValue }

    /// The category named `name` as buf spells it (`FILE`, `wire_json`, ...), ignoring case.
    public init?(named name: String) {
        self.init(rawValue: String(name.uppercased().map { $0 == "-" ? "_" : $0 }))
    }
}
