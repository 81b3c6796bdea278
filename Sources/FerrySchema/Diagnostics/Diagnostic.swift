/// A problem the compiler found in a schema, with the place it found it.
///
/// The compiler reports problems as values instead of throwing, so that one run can list every
/// error of a file (see ``DiagnosticReporter``). Messages name the offending token or name, for
/// example `Expected ";", got "}".`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: Sendable, Hashable, CustomStringConvertible {
        /// The schema is invalid; compilation fails.
        case error
        /// The schema compiles but is probably not what the author meant.
        case warning

        /// The severity as diagnostics print it: `error` or `warning`.
        public var description: String {
            switch self {
            case .error: "error"
            case .warning: "warning"
            }
        }
    }

    /// A secondary message pointing at a related place, such as the earlier definition of a
    /// duplicated name.
    public struct Note: Sendable, Hashable {
        /// Where the note points, if anywhere.
        public var span: SourceSpan?
        /// The note's text.
        public var message: String

        /// Creates a note.
        public init(_ message: String, at span: SourceSpan? = nil) {
            self.message = message
            self.span = span
        }
    }

    /// Whether this is an error or a warning.
    public var severity: Severity
    /// Where the problem is; `nil` for problems that belong to no place in a file (a file that
    /// cannot be read, for example).
    public var span: SourceSpan?
    /// One sentence describing the problem.
    public var message: String
    /// Related places.
    public var notes: [Note]

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at span: SourceSpan?, notes: [Note] = []) {
        self.severity = severity
        self.message = message
        self.span = span
        self.notes = notes
    }

    /// Creates an error.
    public static func error(_ message: String, at span: SourceSpan?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, message, at: span, notes: notes)
    }

    /// Creates a warning.
    public static func warning(_ message: String, at span: SourceSpan?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.warning, message, at: span, notes: notes)
    }

    /// The diagnostic rendered as one line, `file:line:column: error: message`.
    public var description: String { DiagnosticRenderer().renderLine(self) }
}
