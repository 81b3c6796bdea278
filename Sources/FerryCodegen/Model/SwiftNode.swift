import FerryCodec

/// The generated file as a small tree of lines and braced blocks.
///
/// Translators build nodes; ``SwiftRenderer`` alone decides indentation and blank lines, so
/// every generated file has the same layout.
indirect enum SwiftNode: Sendable, Hashable {
    /// One line of code at the current indentation.
    case line(String)
    /// An empty line; runs of them, and blanks just inside braces, are collapsed when rendered.
    case blank
    /// `header` (ending in `{` or `(`), the body one level deeper, then `footer` (`}`, `) {`, …).
    case braced(String, [SwiftNode], footer: String)
    /// `///` documentation lines.
    case doc([String])
    /// Several nodes spliced into the enclosing sequence.
    case group([SwiftNode])
    /// Nodes one level deeper without braces (the statements of a multi-line `case`).
    case indented([SwiftNode])

    static func block(_ header: String, _ body: [SwiftNode]) -> SwiftNode {
        .braced(header + " {", body, footer: "}")
    }

    /// `header { statement }` on one line: a function whose body is one short statement.
    static func oneLiner(_ header: String, _ body: [SwiftNode]) -> SwiftNode {
        guard body.count == 1, case .line(let statement) = body[0] else { return block(header, body) }
        return .line("\(header) { \(statement) }")
    }

    /// A one-line declaration with a one-line doc comment in front of it on the same line
    /// (`/** … */`), for members whose documentation only restates them; a `///` line above it
    /// when the text could end or nest the block comment.
    static func documented(_ doc: String, _ declaration: String) -> SwiftNode {
        if doc.contains("*/") || doc.contains("/*") { return .group([.doc([doc]), .line(declaration)]) }
        return .line("/** \(doc) */ \(declaration)")
    }

    /// Documentation from a .proto comment; nothing for an empty comment.
    static func comment(_ text: String?) -> SwiftNode {
        guard let text, !text.isEmpty else { return .group([]) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.trimmingTrailingSpaces().isEmpty == true { lines.removeLast() }
        return .doc(lines)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
