public import FerryCodec

/// Finds where a descriptor element was written, from a file's `SourceCodeInfo`.
///
/// The parser records a location for every element path (`[4, 0, 2, 1, 6]` is the type name of
/// the second field of the first message); the linker reports its diagnostics at those places,
/// which are the places protoc reports them.
struct SourceLocator: Sendable {
    private let fileName: String
    private let source: SourceFile?
    private var spans: [[Int32]: [Int32]] = [:]

    init(file: Google_Protobuf_FileDescriptorProto, source: SourceFile?) {
        fileName = file.name ?? ""
        self.source = source
        for location in file.sourceCodeInfo?.location ?? [] where spans[location.path] == nil {
            spans[location.path] = location.span
        }
    }

    /// The span recorded for `path`, or for the nearest enclosing path that has one.
    func span(_ path: [Int32]) -> SourceSpan? {
        var path = path
        while true {
            if let span = spans[path] { return makeSpan(span) }
            if path.isEmpty { return nil }
            path.removeLast()
        }
    }

    /// The span recorded for exactly `path`, if any.
    func exactSpan(_ path: [Int32]) -> SourceSpan? {
        spans[path].flatMap(makeSpan)
    }

    private func makeSpan(_ span: [Int32]) -> SourceSpan? {
        guard span.count == 3 || span.count == 4 else { return nil }
        let startLine = Int(span[0]), startColumn = Int(span[1])
        let endLine = span.count == 4 ? Int(span[2]) : startLine
        let endColumn = Int(span[span.count - 1])
        return SourceSpan(
            file: fileName,
            start: location(line: startLine, column: startColumn),
            end: location(line: endLine, column: endColumn)
        )
    }

    /// A location from 0-based line and column, with the byte offset found when the text is known.
    private func location(line: Int, column: Int) -> SourceLocation {
        var offset = 0
        if let source, line >= 0, line < source.lineIndex.lineCount {
            var position = source.lineIndex.lineStarts[line]
            var currentColumn = 0
            while position < source.bytes.count, currentColumn < column, source.bytes[position] != UInt8(ascii: "\n") {
                currentColumn = LineIndex.advance(column: currentColumn, over: source.bytes[position])
                position += 1
            }
            offset = position
        }
        return SourceLocation(offset: offset, line: line + 1, column: column + 1)
    }
}
