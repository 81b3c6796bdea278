/// Collects the diagnostics of one compiler run.
///
/// Each phase appends what it finds and carries on where it sensibly can; the caller decides
/// what to do with the collection at the end (``hasErrors``). A reporter is a value: phases take
/// it `inout`.
public struct DiagnosticReporter: Sendable {
    /// Every diagnostic reported so far, in report order.
    public private(set) var diagnostics: [Diagnostic] = []
    /// The number of errors reported so far.
    public private(set) var errorCount = 0

    /// Creates an empty reporter.
    public init() {}

    /// Whether any error (not only warnings) has been reported.
    public var hasErrors: Bool { errorCount > 0 }

    /// Adds a diagnostic.
    public mutating func report(_ diagnostic: Diagnostic) {
        if diagnostic.severity == .error { errorCount += 1 }
        diagnostics.append(diagnostic)
    }

    /// Adds several diagnostics.
    public mutating func report(contentsOf other: some Sequence<Diagnostic>) {
        for diagnostic in other { report(diagnostic) }
    }

    /// Reports an error at `span`.
    public mutating func error(_ message: String, at span: SourceSpan?, notes: [Diagnostic.Note] = []) {
        report(.error(message, at: span, notes: notes))
    }

    /// Reports a warning at `span`.
    public mutating func warning(_ message: String, at span: SourceSpan?, notes: [Diagnostic.Note] = []) {
        report(.warning(message, at: span, notes: notes))
    }

    /// The errors only.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}
