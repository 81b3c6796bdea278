/// One import of a schema that is satisfied by another registered subject version.
///
/// `name` is the import path as written in the importing schema (`import "acme/money.proto";` gives
/// `acme/money.proto`); `subject` and `version` say which registered schema supplies that file.
public struct SchemaReference: Sendable, Hashable, Codable {
    /// The import path the referencing schema uses.
    public var name: String
    /// The subject that holds the referenced schema.
    public var subject: String
    /// The version of that subject.
    public var version: Int

    /// Creates a reference.
    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}
