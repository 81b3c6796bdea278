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

    /// The diagnostic's main line, then the source line it points at with a caret (and tildes
    /// for the rest of the span on that line) underneath, then the notes: the form a terminal
    /// user wants. `file` must be the file the diagnostic's span lies in; otherwise, or without
    /// a span, this is the plain ``render(_:)-(Diagnostic)`` output.
    public func render(_ diagnostic: Diagnostic, excerptFrom file: SourceFile) -> String {
        guard let span = diagnostic.span, span.file == file.name,
            span.start.line >= 1, span.start.line <= file.lineIndex.lineCount
        else { return render(diagnostic) }
        let lineStart = file.lineIndex.lineStarts[span.start.line - 1]
        var lineEnd = lineStart
        while lineEnd < file.bytes.count, file.bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        let lineBytes = file.bytes[lineStart..<lineEnd]
        var marker = ""
        var underlined = 0
        for offset in lineStart..<lineEnd {
            let byte = file.bytes[offset]
            if byte & 0xC0 == 0x80 { continue }
            if offset < span.start.offset {
                marker += byte == UInt8(ascii: "\t") ? "\t" : " "
            } else if offset < max(span.end.offset, span.start.offset + 1) {
                marker += underlined == 0 ? "^" : "~"
                underlined += 1
            }
        }
        if underlined == 0 { marker += "^" }
        var lines = [renderLine(diagnostic), String(decoding: lineBytes, as: UTF8.self), marker]
        for note in diagnostic.notes {
            lines.append("\(prefix(note.span))note: \(note.message)")
        }
        return lines.joined(separator: "\n")
    }

    private func prefix(_ span: SourceSpan?) -> String {
        guard let span else { return "" }
        return "\(span.file):\(span.start.line):\(span.start.column): "
    }
}
