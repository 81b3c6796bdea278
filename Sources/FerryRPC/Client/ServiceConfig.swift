#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The per-method parts of a gRPC service config (doc/service_config.md): timeouts, message size
/// limits and retry policies, matched by service and method name.
public struct ServiceConfig: Sendable, Hashable {
    /// Settings for a set of methods.
    public struct MethodConfig: Sendable, Hashable {
        /// A method name pattern: a service and method, a whole service (method nil), or every
        /// method (both nil).
        public struct Name: Sendable, Hashable {
            /// The fully qualified service, or nil for all services.
            public var service: String?
            /// The method, or nil for all methods of the service.
            public var method: String?

            /// Creates a name pattern.
            public init(service: String? = nil, method: String? = nil) {
                self.service = service
                self.method = method
            }
        }

        /// The methods these settings apply to.
        public var names: [Name]
        /// The default timeout of these methods.
        public var timeout: Duration?
        /// The largest request message.
        public var maxRequestMessageBytes: Int?
        /// The largest response message.
        public var maxResponseMessageBytes: Int?
        /// The retry policy.
        public var retryPolicy: RetryPolicy?

        /// Creates a method config.
        public init(
            names: [Name],
            timeout: Duration? = nil,
            maxRequestMessageBytes: Int? = nil,
            maxResponseMessageBytes: Int? = nil,
            retryPolicy: RetryPolicy? = nil
        ) {
            self.names = names
            self.timeout = timeout
            self.maxRequestMessageBytes = maxRequestMessageBytes
            self.maxResponseMessageBytes = maxResponseMessageBytes
            self.retryPolicy = retryPolicy
        }
    }

    /// The method configs, most specific match wins.
    public var methodConfigs: [MethodConfig]

    /// Creates a service config.
    public init(methodConfigs: [MethodConfig] = []) {
        self.methodConfigs = methodConfigs
    }

    /// The config for a method: an exact service+method match, else a whole-service match, else the
    /// catch-all entry.
    public func config(for method: MethodDescriptor) -> MethodConfig? {
        func find(_ matches: (MethodConfig.Name) -> Bool) -> MethodConfig? {
            methodConfigs.first { $0.names.contains(where: matches) }
        }
        return find { $0.service == method.service && $0.method == method.method }
            ?? find { $0.service == method.service && ($0.method ?? "").isEmpty }
            ?? find { ($0.service ?? "").isEmpty && ($0.method ?? "").isEmpty }
    }

    /// Parses a service config from its JSON form.
    ///
    /// - Throws: ``RPCError`` with ``Status/Code/invalidArgument`` for malformed JSON, a bad duration
    ///   (`"0.5s"` is the form), an unknown status code name or an invalid retry policy.
    public init(json: String) throws(RPCError) {
        let raw: RawServiceConfig
        do {
            raw = try JSONDecoder().decode(RawServiceConfig.self, from: Data(json.utf8))
        } catch {
            throw RPCError(code: .invalidArgument, message: "Malformed service config JSON: \(error)", cause: error)
        }
        var configs: [MethodConfig] = []
        for entry in raw.methodConfig ?? [] {
            var config = MethodConfig(names: (entry.name ?? []).map { Name(service: $0.service, method: $0.method) })
            if let timeout = entry.timeout { config.timeout = try Self.parseDuration(timeout) }
            config.maxRequestMessageBytes = entry.maxRequestMessageBytes?.value
            config.maxResponseMessageBytes = entry.maxResponseMessageBytes?.value
            if let policy = entry.retryPolicy { config.retryPolicy = try Self.parseRetryPolicy(policy) }
            configs.append(config)
        }
        self.init(methodConfigs: configs)
    }

    private typealias Name = MethodConfig.Name

    private static func parseRetryPolicy(_ raw: RawRetryPolicy) throws(RPCError) -> RetryPolicy {
        func invalid(_ why: String) -> RPCError {
            RPCError(code: .invalidArgument, message: "Invalid retryPolicy in service config: \(why)")
        }
        guard let maxAttempts = raw.maxAttempts, maxAttempts > 1 else { throw invalid("maxAttempts must be > 1") }
        guard let initial = raw.initialBackoff, let max = raw.maxBackoff else {
            throw invalid("initialBackoff and maxBackoff are required")
        }
        let initialBackoff = try parseDuration(initial)
        let maxBackoff = try parseDuration(max)
        guard initialBackoff > .zero, maxBackoff > .zero else { throw invalid("backoffs must be > 0") }
        guard let multiplier = raw.backoffMultiplier, multiplier > 0 else {
            throw invalid("backoffMultiplier must be > 0")
        }
        var codes: Set<Status.Code> = []
        for code in raw.retryableStatusCodes ?? [] {
            switch code {
            case .name(let name):
                guard let parsed = Status.Code(name: name) else { throw invalid("unknown status code \(name)") }
                codes.insert(parsed)
            case .number(let number):
                guard let parsed = Status.Code(rawValue: number) else { throw invalid("unknown status code \(number)") }
                codes.insert(parsed)
            }
        }
        guard !codes.isEmpty else { throw invalid("retryableStatusCodes must not be empty") }
        return RetryPolicy(
            maxAttempts: maxAttempts,
            initialBackoff: initialBackoff,
            maxBackoff: maxBackoff,
            backoffMultiplier: multiplier,
            retryableStatusCodes: codes
        )
    }

    /// Parses a protobuf JSON duration such as `"1.5s"` or `"0.000001s"`.
    static func parseDuration(_ text: String) throws(RPCError) -> Duration {
        let invalid = RPCError(code: .invalidArgument, message: "Invalid duration '\(text)' in service config")
        guard text.hasSuffix("s") else { throw invalid }
        let number = text.dropLast()
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let seconds = Int64(parts[0]), seconds >= 0 else { throw invalid }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...9).contains(fraction.count), fraction.allSatisfy(\.isASCII), let value = Int64(fraction) else {
                throw invalid
            }
            nanos = value
            for _ in fraction.count..<9 { nanos *= 10 }
        }
        return .seconds(seconds) + .nanoseconds(nanos)
    }
}

private struct RawServiceConfig: Decodable {
    var methodConfig: [RawMethodConfig]?
}

private struct RawMethodConfig: Decodable {
    struct RawName: Decodable {
        var service: String?
        var method: String?
    }
    var name: [RawName]?
    var timeout: String?
    var maxRequestMessageBytes: FlexibleInt?
    var maxResponseMessageBytes: FlexibleInt?
    var retryPolicy: RawRetryPolicy?
}

private struct RawRetryPolicy: Decodable {
    var maxAttempts: Int?
    var initialBackoff: String?
    var maxBackoff: String?
    var backoffMultiplier: Double?
    var retryableStatusCodes: [RawCode]?
}

/// A status code in a service config: a name such as `"UNAVAILABLE"` or a number.
private enum RawCode: Decodable {
    case name(String)
    case number(Int)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .name(try container.decode(String.self))
        }
    }
}

/// An integer that proto3 JSON may write as a number or a string (uint32/int64 values).
private struct FlexibleInt: Decodable {
    var value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = number
        } else if let parsed = Int(try container.decode(String.self)) {
            value = parsed
        } else {
            throw Swift.DecodingError.dataCorruptedError(in: container, debugDescription: "not an integer")
        }
    }
}
