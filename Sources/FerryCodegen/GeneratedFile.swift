/// One generated Swift file.
public struct GeneratedFile: Sendable, Hashable {
    /// Path relative to the output directory, such as `path/to/foo.pb.swift`.
    public var name: String
    public var content: String

    public init(name: String, content: String) {
        self.name = name
        self.content = content
    }
}
