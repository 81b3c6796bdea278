/// Where and how `ferry registry serve` runs.
public struct RegistryServerConfiguration: Sendable, Hashable {
    /// Where subjects and schemas are kept.
    public enum Storage: Sendable, Hashable {
        /// A SQLite file (the embedded default).
        case sqlite(path: String)
        /// A PostgreSQL database, `postgres://user:password@host:port/database`, shareable by several servers.
        case postgres(url: String)
        /// Memory only: lost when the process ends (tests, demos).
        case memory
    }

    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one.
    public var port: Int
    /// The storage backend.
    public var storage: Storage

    /// The defaults: 127.0.0.1:8081 and `ferry-registry.sqlite` in the working directory.
    public init(host: String = "127.0.0.1", port: Int = 8081, storage: Storage = .sqlite(path: "ferry-registry.sqlite")) {
        self.host = host
        self.port = port
        self.storage = storage
    }

    /// Parses `[--host H] [--port P] [--sqlite PATH | --postgres URL | --memory]`.
    ///
    /// - Throws: a message for people when an option is unknown or lacks its value.
    public init(arguments: [String]) throws(ConfigurationError) {
        self.init()
        var remaining = arguments[...]
        while let option = remaining.popFirst() {
            func value() throws(ConfigurationError) -> String {
                guard let value = remaining.popFirst() else { throw ConfigurationError(message: "\(option) needs a value") }
                return value
            }
            switch option {
            case "--host": host = try value()
            case "--port":
                let text = try value()
                guard let number = Int(text), (0...65535).contains(number) else { throw ConfigurationError(message: "invalid port \(text)") }
                port = number
            case "--sqlite": storage = .sqlite(path: try value())
            case "--postgres": storage = .postgres(url: try value())
            case "--memory": storage = .memory
            default: throw ConfigurationError(message: "unknown option \(option); usage: [--host H] [--port P] [--sqlite PATH | --postgres URL | --memory]")
            }
        }
    }

    /// A configuration mistake on the command line.
    public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        public var description: String { message }
    }
}
