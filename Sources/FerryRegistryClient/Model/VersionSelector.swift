/// A version as the REST API names it: a number or `latest`.
public enum VersionSelector: Sendable, Hashable, CustomStringConvertible {
    /// The newest live version.
    case latest
    /// One version number.
    case number(Int)

    /// Parses `latest`, `-1` (Confluent's other spelling of latest) or a positive number.
    ///
    /// - Throws: ``RegistryError/Code/invalidVersion`` for anything else.
    public init(parsing text: String) throws(RegistryError) {
        if text == "latest" || text == "-1" {
            self = .latest
        } else if let number = Int(text), number > 0 {
            self = .number(number)
        } else {
            throw RegistryError(
                .invalidVersion,
                """
                The specified version '\(text)' is not a valid version id. Allowed values \
                are between [1, 2^31-1] and the string \"latest\"
                """
            )
        }
    }

    /// A one-line form for logs and messages.
    public var description: String {
        switch self {
        case .latest: "latest"
        case .number(let number): String(number)
        }
    }
}

/// A schema as a client submits it for registration, look-up or a compatibility check.
public struct SchemaInput: Sendable, Hashable {
    /// `.proto` text, or a base64-encoded `FileDescriptorProto` (what confluent-kafka's serializer sends).
    public var schema: String
    /// The registered subject versions the schema imports.
    public var references: [SchemaReference]
    /// The declared type; nil means the client left it out (Confluent then assumes AVRO).
    public var schemaType: SchemaType?
    /// IMPORT mode only: the id to register under.
    public var id: Int?
    /// IMPORT mode only: the version to register as.
    public var version: Int?
    /// The data contract's metadata; nil inherits the subject's latest version's on registration.
    public var metadata: SchemaMetadata?
    /// The data contract's rules; nil inherits the subject's latest version's on registration.
    public var ruleSet: SchemaRuleSet?

    /// Creates an input.
    public init(
        schema: String,
        references: [SchemaReference] = [],
        schemaType: SchemaType? = .protobuf,
        id: Int? = nil,
        version: Int? = nil,
        metadata: SchemaMetadata? = nil,
        ruleSet: SchemaRuleSet? = nil
    ) {
        self.schema = schema
        self.references = references
        self.schemaType = schemaType
        self.id = id
        self.version = version
        self.metadata = metadata
        self.ruleSet = ruleSet
    }
}

/// Which soft-deleted entries a listing includes (`?deleted=true`, `?deletedOnly=true`).
public enum DeletedSelection: Sendable, Hashable {
    /// Live entries only (the default).
    case excluded
    /// Live and soft-deleted entries.
    case included
    /// Soft-deleted entries only.
    case only
}
