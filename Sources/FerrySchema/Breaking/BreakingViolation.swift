/// One breaking change found by a ``BreakingChecker``.
public struct BreakingViolation: Sendable, Hashable, CustomStringConvertible {
    /// The rule the change breaks.
    public var rule: BreakingRule
    /// The file the change is reported in: the new file, or the old one when the new is gone.
    public var path: String
    /// The 1-based line of the element in ``path``, when source info locates it.
    public var line: Int?
    /// The 1-based column of the element in ``path``, when source info locates it.
    public var column: Int?
    /// What changed, for people.
    public var message: String

    /// Creates a violation.
    public init(rule: BreakingRule, path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.rule = rule
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path:line:column:message [RULE]`, the one-line form `ferry breaking` prints.
    public var description: String {
        "\(path):\(line ?? 1):\(column ?? 1):\(message) [\(rule.id)]"
    }
}
