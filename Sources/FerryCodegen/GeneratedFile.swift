/// One generated Swift file.
public struct GeneratedFile: Sendable, Hashable {
    /// Path relative to the output directory, such as `path/to/foo.pb.swift`.
    public var name: String
    /// The complete Swift source text to write at ``name``.
    public var content: String

    /// Pairs an output path with the source text to write there.
    public init(name: String, content: String) {
        self.name = name
        self.content = content
    }
}
