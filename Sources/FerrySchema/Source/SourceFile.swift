/// One `.proto` file's name and contents, as the compiler reads it.
///
/// The text is kept as UTF-8 bytes because protobuf's grammar is defined over bytes and because
/// protoc counts columns in bytes: keeping bytes lets spans agree with protoc's SourceCodeInfo.
public struct SourceFile: Sendable, Hashable {
    /// The file's name as imports and diagnostics spell it, for example `google/protobuf/any.proto`.
    public let name: String
    /// The file's contents, UTF-8 encoded.
    public let bytes: [UInt8]
    /// Where each line starts, for turning byte offsets into line and column.
    public let lineIndex: LineIndex

    /// Creates a source file from raw bytes (which need not be valid UTF-8).
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        self.lineIndex = LineIndex(bytes)
    }

    /// Creates a source file from text.
    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The location of a byte offset in this file (offsets past the end clamp to the end).
    public func location(at offset: Int) -> SourceLocation {
        lineIndex.location(at: offset, in: bytes)
    }

    /// The span covering the bytes `start..<end`.
    public func span(_ start: Int, _ end: Int) -> SourceSpan {
        SourceSpan(file: name, start: location(at: start), end: location(at: max(start, end)))
    }

    /// The text a span covers, with invalid UTF-8 repaired.
    public func text(of span: SourceSpan) -> String {
        let lower = min(max(0, span.start.offset), bytes.count)
        let upper = min(max(lower, span.end.offset), bytes.count)
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}
