import FerryCodec

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

    /// Where the name and the value of the option recorded at `path` (`...[999, i]`) start.
    ///
    /// protoc reports option errors at the name or at the value; the parser records only the
    /// whole statement, so both are found by scanning the text from the statement's start:
    /// past an `option` keyword to the name, then past `=` to the value.
    func optionSpans(_ path: [Int32]) -> (name: SourceSpan?, value: SourceSpan?) {
        guard let whole = exactSpan(path) else { return (nil, nil) }
        guard let source else { return (whole, whole) }
        let bytes = source.bytes
        var index = whole.start.offset
        func skipSpace() {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 32 || byte == 9 || byte == 10 || byte == 13 {
                    index += 1
                } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                    while index < bytes.count && bytes[index] != 10 { index += 1 }
                } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                    index += 2
                    while index + 1 < bytes.count
                        && !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/"))
                    { index += 1 }
                    index += 2
                } else {
                    return
                }
            }
        }
        let keyword = Array("option".utf8)
        if index + keyword.count < bytes.count, Array(bytes[index..<index + keyword.count]) == keyword,
            !Identifier.isIdentifierByte(bytes[index + keyword.count])
        {
            index += keyword.count
            skipSpace()
        }
        let nameStart = index
        while index < bytes.count && bytes[index] != UInt8(ascii: "=") { index += 1 }
        var nameEnd = index
        while nameEnd > nameStart && (bytes[nameEnd - 1] == 32 || bytes[nameEnd - 1] == 9 || bytes[nameEnd - 1] == 10) {
            nameEnd -= 1
        }
        index += 1
        skipSpace()
        let valueStart = min(index, whole.end.offset)
        return (source.span(nameStart, nameEnd), source.span(valueStart, whole.end.offset))
    }

    private func makeSpan(_ span: [Int32]) -> SourceSpan? {
        guard span.count == 3 || span.count == 4 else { return nil }
        let startLine = Int(span[0])
        let startColumn = Int(span[1])
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
