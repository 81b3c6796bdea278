/// A range of bytes in a named source file: `start` is inclusive, `end` exclusive.
///
/// Spans carry the file name so that a diagnostic can be rendered without looking the file up.
public struct SourceSpan: Sendable, Hashable, CustomStringConvertible {
    /// The name of the file the span lies in.
    public var file: String
    /// The first byte of the span.
    public var start: SourceLocation
    /// The position just past the last byte of the span.
    public var end: SourceLocation

    /// Creates a span from its file name and end points.
    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.file = file
        self.start = start
        self.end = end
    }

    /// An empty span at `location`.
    public init(file: String, at location: SourceLocation) {
        self.init(file: file, start: location, end: location)
    }

    /// The smallest span covering both `self` and `other` (which must lie in the same file).
    public func union(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    /// The span as protoc writes it into `SourceCodeInfo.Location.span`: `[startLine, startColumn,
    /// endLine, endColumn]`, 0-based, with the end line omitted when it equals the start line.
    public var protocSpan: [Int32] {
        let startLine = Int32(truncatingIfNeeded: start.zeroBasedLine)
        let startColumn = Int32(truncatingIfNeeded: start.zeroBasedColumn)
        let endLine = Int32(truncatingIfNeeded: end.zeroBasedLine)
        let endColumn = Int32(truncatingIfNeeded: end.zeroBasedColumn)
        if startLine == endLine {
            return [startLine, startColumn, endColumn]
        }
        return [startLine, startColumn, endLine, endColumn]
    }

    /// The span's start as diagnostics print it: `file:line:column`, line and column 1-based.
    public var description: String { "\(file):\(start.line):\(start.column)" }
}
