/// Turns diagnostics into text, one line each, the way protoc prints them:
/// `file:line:column: error: message`, followed by `file:line:column: note: message` for each
/// note.
public struct DiagnosticRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The diagnostic's main line, without notes.
    public func renderLine(_ diagnostic: Diagnostic) -> String {
        "\(prefix(diagnostic.span))\(diagnostic.severity): \(diagnostic.message)"
    }

    /// The diagnostic's main line followed by one line per note, joined by newlines.
    public func render(_ diagnostic: Diagnostic) -> String {
        var lines = [renderLine(diagnostic)]
        for note in diagnostic.notes {
            lines.append("\(prefix(note.span))note: \(note.message)")
        }
        return lines.joined(separator: "\n")
    }

    /// All diagnostics, each on its own line(s), with a trailing newline when non-empty.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { render($0) + "\n" }.joined()
    }

    private func prefix(_ span: SourceSpan?) -> String {
        guard let span else { return "" }
        return "\(span.file):\(span.start.line):\(span.start.column): "
    }
}
