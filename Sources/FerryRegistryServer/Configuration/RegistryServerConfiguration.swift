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
    /// The users file (``RegistryUsers``); when set, every request needs credentials with a role
    /// that allows it, and SIGHUP re-reads the file. Without one the registry is open to anyone
    /// who reaches the port.
    public var usersFile: String?
    /// When set, the registry speaks HTTPS only.
    public var tls: RegistryTLSFiles?

    /// The defaults: 127.0.0.1:8081 and `ferry-registry.sqlite` in the working directory.
    public init(host: String = "127.0.0.1", port: Int = 8081, storage: Storage = .sqlite(path: "ferry-registry.sqlite"))
    {
        self.host = host
        self.port = port
        self.storage = storage
    }

    /// The usage line of ``init(arguments:)``.
    public static let usage =
        "[--host H] [--port P] [--sqlite PATH | --postgres URL | --memory] [--users FILE] "
        + "[--tls-certificate PEM --tls-key PEM [--tls-client-ca PEM]]"

    /// Parses the command line (``usage``).
    ///
    /// - Throws: a message for people when an option is unknown or lacks its value.
    public init(arguments: [String]) throws(ConfigurationError) {
        self.init()
        var certificate: String?
        var key: String?
        var clientCA: String?
        var remaining = arguments[...]
        while let option = remaining.popFirst() {
            func value() throws(ConfigurationError) -> String {
                guard let value = remaining.popFirst() else {
                    throw ConfigurationError(message: "\(option) needs a value")
                }
                return value
            }
            switch option {
            case "--host": host = try value()
            case "--port":
                let text = try value()
                guard let number = Int(text), (0...65535).contains(number) else {
                    throw ConfigurationError(message: "invalid port \(text)")
                }
                port = number
            case "--sqlite": storage = .sqlite(path: try value())
            case "--postgres": storage = .postgres(url: try value())
            case "--memory": storage = .memory
            case "--users": usersFile = try value()
            case "--tls-certificate": certificate = try value()
            case "--tls-key": key = try value()
            case "--tls-client-ca": clientCA = try value()
            default: throw ConfigurationError(message: "unknown option \(option); usage: \(Self.usage)")
            }
        }
        switch (certificate, key) {
        case (let certificate?, let key?):
            tls = RegistryTLSFiles(certificateChain: certificate, privateKey: key, clientCA: clientCA)
        case (nil, nil):
            if clientCA != nil {
                throw ConfigurationError(message: "--tls-client-ca needs --tls-certificate and --tls-key")
            }
        default: throw ConfigurationError(message: "--tls-certificate and --tls-key go together")
        }
    }

    /// A configuration mistake on the command line.
    public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        /// A one-line form for logs and messages.
        public var description: String { message }
    }
}
