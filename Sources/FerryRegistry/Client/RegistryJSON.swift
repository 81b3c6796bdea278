/// The JSON bodies of Confluent's Schema Registry REST API, shared by Ferry's client and server.
public enum RegistryJSON {
    /// `POST /subjects/{s}/versions`, `POST /subjects/{s}` and `POST /compatibility/...` request body.
    public struct SchemaRequest: Codable, Sendable, Hashable {
        public var schema: String
        public var schemaType: String?
        public var references: [SchemaReference]?
        public var id: Int?
        public var version: Int?

        public init(schema: String, schemaType: String? = "PROTOBUF", references: [SchemaReference]? = nil, id: Int? = nil, version: Int? = nil) {
            self.schema = schema
            self.schemaType = schemaType
            self.references = references
            self.id = id
            self.version = version
        }
    }

    /// `POST /subjects/{s}/versions` answer.
    public struct RegisterResponse: Codable, Sendable, Hashable {
        public var id: Int
        public init(id: Int) { self.id = id }
    }

    /// A subject version: `GET /subjects/{s}/versions/{v}` and `POST /subjects/{s}` answers.
    public struct SubjectVersionResponse: Codable, Sendable, Hashable {
        public var subject: String
        public var id: Int
        public var version: Int
        public var schemaType: String
        public var schema: String
        public var references: [SchemaReference]?

        public init(subject: String, id: Int, version: Int, schemaType: String, schema: String, references: [SchemaReference]?) {
            self.subject = subject
            self.id = id
            self.version = version
            self.schemaType = schemaType
            self.schema = schema
            self.references = references
        }
    }

    /// `GET /schemas/ids/{id}` answer.
    public struct SchemaResponse: Codable, Sendable, Hashable {
        public var schema: String
        public var schemaType: String
        public var references: [SchemaReference]?

        public init(schema: String, schemaType: String, references: [SchemaReference]?) {
            self.schema = schema
            self.schemaType = schemaType
            self.references = references
        }
    }

    /// `GET /schemas/ids/{id}/versions` element.
    public struct SubjectVersionPair: Codable, Sendable, Hashable {
        public var subject: String
        public var version: Int
        public init(subject: String, version: Int) {
            self.subject = subject
            self.version = version
        }
    }

    /// `POST /compatibility/...` answer.
    public struct CompatibilityResponse: Codable, Sendable, Hashable {
        public var isCompatible: Bool
        public var messages: [String]?

        enum CodingKeys: String, CodingKey {
            case isCompatible = "is_compatible"
            case messages
        }

        public init(isCompatible: Bool, messages: [String]?) {
            self.isCompatible = isCompatible
            self.messages = messages
        }
    }

    /// `GET /config[/{s}]` answer.
    public struct ConfigResponse: Codable, Sendable, Hashable {
        public var compatibilityLevel: String
        public init(compatibilityLevel: String) { self.compatibilityLevel = compatibilityLevel }
    }

    /// `PUT /config[/{s}]` request and answer.
    public struct ConfigUpdate: Codable, Sendable, Hashable {
        public var compatibility: String
        public init(compatibility: String) { self.compatibility = compatibility }
    }

    /// `GET`/`PUT /mode[/{s}]` body.
    public struct ModeBody: Codable, Sendable, Hashable {
        public var mode: String
        public init(mode: String) { self.mode = mode }
    }

    /// Every error answer.
    public struct ErrorResponse: Codable, Sendable, Hashable {
        public var errorCode: Int
        public var message: String

        enum CodingKeys: String, CodingKey {
            case errorCode = "error_code"
            case message
        }

        public init(errorCode: Int, message: String) {
            self.errorCode = errorCode
            self.message = message
        }
    }

    /// The content type the API speaks.
    public static let contentType = "application/vnd.schemaregistry.v1+json"
}
