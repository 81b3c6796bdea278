/// The kinds of schema the registry knows about. Ferry stores Protobuf only; the other names exist so
/// that requests for them can be answered with a clear error.
public enum SchemaType: String, Sendable, Hashable, CaseIterable, Codable {
    /// Protocol Buffers: the only type Ferry stores.
    case protobuf = "PROTOBUF"
    /// Avro: what Confluent's clients assume when `schemaType` is missing.
    case avro = "AVRO"
    /// JSON Schema.
    case json = "JSON"
}

/// A schema as the registry stores it: canonical `.proto` text, its references and its global id.
public struct StoredSchema: Sendable, Hashable {
    /// The id, the same under every subject of its context that registered this schema.
    public var id: Int
    /// The context whose id space ``id`` belongs to (``QualifiedSubject/defaultContext`` unless the
    /// schema was registered under a qualified subject such as `:.staging:orders-value`).
    public var context: String
    /// Canonical `.proto` text (rendered from the schema's descriptor, so equal schemas compare equal).
    public var text: String
    /// The registered subject versions this schema imports.
    public var references: [SchemaReference]
    /// Always ``SchemaType/protobuf`` in Ferry.
    public var schemaType: SchemaType
    /// The data contract's metadata, if the schema has one.
    public var metadata: SchemaMetadata?
    /// The data contract's rules, if the schema has any.
    public var ruleSet: SchemaRuleSet?

    /// Creates a stored schema.
    public init(
        id: Int,
        text: String,
        references: [SchemaReference] = [],
        schemaType: SchemaType = .protobuf,
        metadata: SchemaMetadata? = nil,
        ruleSet: SchemaRuleSet? = nil,
        context: String = QualifiedSubject.defaultContext
    ) {
        self.id = id
        self.context = context
        self.text = text
        self.references = references
        self.schemaType = schemaType
        self.metadata = metadata
        self.ruleSet = ruleSet
    }

    /// Whether this is the schema `text` with `references`; with `dataContract`, also with exactly
    /// that metadata and rule set (the identity registrations are matched by; a look-up that sends no
    /// data contract matches whatever the stored one is).
    public func holds(
        text: String,
        references: [SchemaReference],
        dataContract: (metadata: SchemaMetadata?, ruleSet: SchemaRuleSet?)? = nil
    ) -> Bool {
        guard self.text == text, self.references == references else { return false }
        guard let dataContract else { return true }
        return metadata?.canonical == dataContract.metadata?.canonical
            && ruleSet?.canonical == dataContract.ruleSet?.canonical
    }
}

/// One version of one subject.
public struct SubjectVersion: Sendable, Hashable {
    /// The subject name.
    public var subject: String
    /// The version number, starting at 1 and without gaps among the versions ever registered.
    public var version: Int
    /// The schema this version holds.
    public var schema: StoredSchema
    /// Whether the version was soft-deleted (hidden unless `deleted=true` is asked for).
    public var isDeleted: Bool

    /// Creates a subject version.
    public init(subject: String, version: Int, schema: StoredSchema, isDeleted: Bool = false) {
        self.subject = subject
        self.version = version
        self.schema = schema
        self.isDeleted = isDeleted
    }
}
