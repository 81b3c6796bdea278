/// The JSON bodies of Confluent's Schema Registry REST API, shared by Ferry's client and server.
public enum RegistryJSON {
    /// `POST /subjects/{s}/versions`, `POST /subjects/{s}` and `POST /compatibility/...` request body.
    public struct SchemaRequest: Codable, Sendable, Hashable {
        /// The schema: `.proto` text, or (answers with `format=serialized`) a base64 descriptor.
        public var schema: String
        /// The schema type; Ferry stores `PROTOBUF` only (a missing type means AVRO to Confluent).
        public var schemaType: String?
        /// The registered schemas this one imports; absent when there are none.
        public var references: [SchemaReference]?
        /// IMPORT mode only: the id the schema must get.
        public var id: Int?
        /// IMPORT mode only: the version the schema must get.
        public var version: Int?
        /// The data contract's metadata.
        public var metadata: SchemaMetadata?
        /// The data contract's rules.
        public var ruleSet: SchemaRuleSet?

        /// Creates a request body.
        public init(
            schema: String,
            schemaType: String? = "PROTOBUF",
            references: [SchemaReference]? = nil,
            id: Int? = nil,
            version: Int? = nil,
            metadata: SchemaMetadata? = nil,
            ruleSet: SchemaRuleSet? = nil
        ) {
            self.schema = schema
            self.schemaType = schemaType
            self.references = references
            self.id = id
            self.version = version
            self.metadata = metadata
            self.ruleSet = ruleSet
        }
    }

    /// `POST /subjects/{s}/versions` answer.
    public struct RegisterResponse: Codable, Sendable, Hashable {
        /// The schema's global id.
        public var id: Int
        /// Creates the answer.
        public init(id: Int) { self.id = id }
    }

    /// A subject version: `GET /subjects/{s}/versions/{v}` and `POST /subjects/{s}` answers.
    public struct SubjectVersionResponse: Codable, Sendable, Hashable {
        /// The subject.
        public var subject: String
        /// The schema's global id.
        public var id: Int
        /// The version number under the subject.
        public var version: Int
        /// The schema type, always named (clients read a missing one as AVRO).
        public var schemaType: String
        /// The schema: `.proto` text, or (answers with `format=serialized`) a base64 descriptor.
        public var schema: String
        /// The registered schemas this one imports; absent when there are none.
        public var references: [SchemaReference]?
        /// The data contract's metadata; absent when there is none.
        public var metadata: SchemaMetadata?
        /// The data contract's rules; absent when there are none.
        public var ruleSet: SchemaRuleSet?

        /// Creates the answer.
        public init(
            subject: String,
            id: Int,
            version: Int,
            schemaType: String,
            schema: String,
            references: [SchemaReference]?,
            metadata: SchemaMetadata? = nil,
            ruleSet: SchemaRuleSet? = nil
        ) {
            self.subject = subject
            self.id = id
            self.version = version
            self.schemaType = schemaType
            self.schema = schema
            self.references = references
            self.metadata = metadata
            self.ruleSet = ruleSet
        }
    }

    /// `GET /schemas/ids/{id}` answer.
    public struct SchemaResponse: Codable, Sendable, Hashable {
        /// The schema: `.proto` text, or (answers with `format=serialized`) a base64 descriptor.
        public var schema: String
        /// The schema type, always named (clients read a missing one as AVRO).
        public var schemaType: String
        /// The registered schemas this one imports; absent when there are none.
        public var references: [SchemaReference]?
        /// The data contract's metadata; absent when there is none.
        public var metadata: SchemaMetadata?
        /// The data contract's rules; absent when there are none.
        public var ruleSet: SchemaRuleSet?

        /// Creates the answer.
        public init(
            schema: String,
            schemaType: String,
            references: [SchemaReference]?,
            metadata: SchemaMetadata? = nil,
            ruleSet: SchemaRuleSet? = nil
        ) {
            self.schema = schema
            self.schemaType = schemaType
            self.references = references
            self.metadata = metadata
            self.ruleSet = ruleSet
        }
    }

    /// `GET /schemas/ids/{id}/versions` element.
    public struct SubjectVersionPair: Codable, Sendable, Hashable {
        /// The subject.
        public var subject: String
        /// The version number under the subject.
        public var version: Int
        /// Creates the element.
        public init(subject: String, version: Int) {
            self.subject = subject
            self.version = version
        }
    }

    /// `POST /compatibility/...` answer.
    public struct CompatibilityResponse: Codable, Sendable, Hashable {
        /// Whether the schema may follow the versions it was checked against.
        public var isCompatible: Bool
        /// With `?verbose=true`: one line per breaking change.
        public var messages: [String]?

        enum CodingKeys: String, CodingKey {
            case isCompatible = "is_compatible"
            case messages
        }

        /// Creates the answer.
        public init(isCompatible: Bool, messages: [String]?) {
            self.isCompatible = isCompatible
            self.messages = messages
        }
    }

    /// `GET /config[/{s}]` answer.
    public struct ConfigResponse: Codable, Sendable, Hashable {
        /// The level, as the API spells it (`BACKWARD`, ...).
        public var compatibilityLevel: String
        /// Creates the answer.
        public init(compatibilityLevel: String) { self.compatibilityLevel = compatibilityLevel }
    }

    /// `PUT /config[/{s}]` request and answer.
    public struct ConfigUpdate: Codable, Sendable, Hashable {
        /// The level to set, as the API spells it.
        public var compatibility: String
        /// Creates the body.
        public init(compatibility: String) { self.compatibility = compatibility }
    }

    /// `GET`/`PUT /mode[/{s}]` body.
    public struct ModeBody: Codable, Sendable, Hashable {
        /// The mode, as the API spells it (`READWRITE`, ...).
        public var mode: String
        /// Creates the body.
        public init(mode: String) { self.mode = mode }
    }

    /// Every error answer.
    public struct ErrorResponse: Codable, Sendable, Hashable {
        /// Confluent's numeric error code (`error_code`).
        public var errorCode: Int
        /// What went wrong, for people.
        public var message: String

        enum CodingKeys: String, CodingKey {
            case errorCode = "error_code"
            case message
        }

        /// Creates the body.
        public init(errorCode: Int, message: String) {
            self.errorCode = errorCode
            self.message = message
        }
    }

    /// `GET /v1/metadata/id` answer: which cluster this registry belongs to.
    public struct ServerClusterID: Codable, Sendable, Hashable {
        /// The scope: a path and the clusters by kind.
        public struct Scope: Codable, Sendable, Hashable {
            /// The scope's path (empty at the top).
            public var path: [String]
            /// Cluster ids by kind (`schema-registry-cluster`, `kafka-cluster`).
            public var clusters: [String: String]

            /// Creates a scope.
            public init(path: [String], clusters: [String: String]) {
                self.path = path
                self.clusters = clusters
            }
        }

        /// The registry's scope.
        public var scope: Scope

        /// Creates the answer.
        public init(scope: Scope) { self.scope = scope }
    }

    /// The content type the API speaks.
    public static let contentType = "application/vnd.schemaregistry.v1+json"
}
