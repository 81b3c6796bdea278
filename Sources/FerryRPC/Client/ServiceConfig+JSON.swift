import FerryCodec

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ServiceConfig {
    /// Parses a service config from its JSON form (the camelCase names gRPC's own parsers read).
    ///
    /// Every field is checked: an unknown field, a value of the wrong type, a bad duration (`"0.5s"`
    /// is the form), an unknown status code, an invalid retry, hedging or throttling policy, a
    /// method name pattern the specification forbids (a method without a service, the same name
    /// twice) or a load-balancing list with no policy Ferry implements all fail instead of being
    /// ignored.
    ///
    /// - Throws: ``RPCError`` with ``Status/Code/invalidArgument`` naming the field, e.g.
    ///   `methodConfig[0].retryPolicy.maxAttempts`.
    public init(json: String) throws(RPCError) {
        let root: ConfigValue
        do {
            root = try JSONDecoder().decode(ConfigValue.self, from: Data(json.utf8))
        } catch {
            throw RPCError(code: .invalidArgument, message: "Malformed service config JSON: \(error)", cause: error)
        }
        self = try ServiceConfigReader.read(root)
    }
}

/// A JSON value, decoded without losing what the config's fields must be checked against.
private enum ConfigValue: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ConfigValue])
    case object([String: ConfigValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ConfigValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ConfigValue].self))
        }
    }
}

/// Reads a decoded service config field by field, naming the path of whatever is wrong.
private enum ServiceConfigReader {
    typealias Name = ServiceConfig.MethodConfig.Name

    static func invalid(_ path: String, _ why: String) -> RPCError {
        RPCError(code: .invalidArgument, message: "Invalid service config: \(path): \(why)")
    }

    /// The object's fields, after checking that it is an object with no field outside `known`.
    static func object(
        _ value: ConfigValue,
        at path: String,
        known: Set<String>
    ) throws(RPCError) -> [String: ConfigValue] {
        guard case .object(let fields) = value else { throw invalid(path, "must be an object") }
        for key in fields.keys.sorted() where !known.contains(key) {
            throw invalid(path.isEmpty ? key : "\(path).\(key)", "unknown field")
        }
        return fields.filter { if case .null = $0.value { false } else { true } }
    }

    static func array(_ value: ConfigValue, at path: String) throws(RPCError) -> [ConfigValue] {
        guard case .array(let items) = value else { throw invalid(path, "must be an array") }
        return items
    }

    static func string(_ value: ConfigValue, at path: String) throws(RPCError) -> String {
        guard case .string(let text) = value else { throw invalid(path, "must be a string") }
        return text
    }

    static func bool(_ value: ConfigValue, at path: String) throws(RPCError) -> Bool {
        guard case .bool(let flag) = value else { throw invalid(path, "must be true or false") }
        return flag
    }

    static func number(_ value: ConfigValue, at path: String) throws(RPCError) -> Double {
        guard case .number(let number) = value, number.isFinite else { throw invalid(path, "must be a number") }
        return number
    }

    /// A non-negative integer, as a number or (proto3 JSON's uint32/int64 form) a string.
    static func count(_ value: ConfigValue, at path: String) throws(RPCError) -> Int {
        switch value {
        case .number(let number) where number >= 0 && number <= Double(Int32.max) && number.rounded() == number:
            return Int(number)
        case .string(let text):
            if let parsed = Int(text), parsed >= 0 { return parsed }
        default:
            break
        }
        throw invalid(path, "must be a non-negative integer")
    }

    static func read(_ root: ConfigValue) throws(RPCError) -> ServiceConfig {
        let fields = try object(
            root,
            at: "",
            known: [
                "loadBalancingConfig", "loadBalancingPolicy", "methodConfig", "retryThrottling", "healthCheckConfig",
            ]
        )
        var config = ServiceConfig()
        if fields["healthCheckConfig"] != nil {
            throw invalid("healthCheckConfig", "client-side health checking is not supported by Ferry")
        }
        if let list = fields["loadBalancingConfig"] {
            config.loadBalancingPolicy = try loadBalancing(list)
        } else if let name = fields["loadBalancingPolicy"] {
            switch try string(name, at: "loadBalancingPolicy") {
            case "pick_first": config.loadBalancingPolicy = .pickFirst()
            case "round_robin": config.loadBalancingPolicy = .roundRobin
            case let other: throw invalid("loadBalancingPolicy", "unsupported policy '\(other)'")
            }
        }
        if let throttling = fields["retryThrottling"] {
            config.retryThrottling = try retryThrottling(throttling)
        }
        var seen: Set<Name> = []
        for (index, entry) in try array(fields["methodConfig"] ?? .array([]), at: "methodConfig").enumerated() {
            let method = try methodConfig(entry, at: "methodConfig[\(index)]")
            for name in method.names {
                // A name with an empty service is the default entry: one spelling of it.
                let key = Name(service: name.service ?? "", method: name.method ?? "")
                guard seen.insert(key).inserted else {
                    throw invalid("methodConfig[\(index)].name", "duplicate name \(describe(name))")
                }
            }
            config.methodConfigs.append(method)
        }
        return config
    }

    static func describe(_ name: Name) -> String {
        "{service: \"\(name.service ?? "")\", method: \"\(name.method ?? "")\"}"
    }

    /// The first policy of the list that Ferry implements; entries are single-field objects.
    static func loadBalancing(_ value: ConfigValue) throws(RPCError) -> ServiceConfig.LoadBalancingPolicy {
        var names: [String] = []
        for (index, entry) in try array(value, at: "loadBalancingConfig").enumerated() {
            let path = "loadBalancingConfig[\(index)]"
            guard case .object(let fields) = entry, fields.count == 1, let (name, body) = fields.first else {
                throw invalid(path, "must be an object with exactly one policy")
            }
            names.append(name)
            switch name {
            case "pick_first":
                let options = try object(body, at: "\(path).pick_first", known: ["shuffleAddressList"])
                let shuffle = try options["shuffleAddressList"].map { v throws(RPCError) in
                    try bool(v, at: "\(path).pick_first.shuffleAddressList")
                }
                return .pickFirst(shuffleAddressList: shuffle ?? false)
            case "round_robin":
                _ = try object(body, at: "\(path).round_robin", known: [])
                return .roundRobin
            default:
                continue
            }
        }
        throw invalid(
            "loadBalancingConfig",
            names.isEmpty ? "lists no policy" : "none of \(names) is supported (pick_first, round_robin are)"
        )
    }

    static func retryThrottling(_ value: ConfigValue) throws(RPCError) -> RetryThrottlingPolicy {
        let path = "retryThrottling"
        let fields = try object(value, at: path, known: ["maxTokens", "tokenRatio"])
        guard let tokensValue = fields["maxTokens"], let ratioValue = fields["tokenRatio"] else {
            throw invalid(path, "maxTokens and tokenRatio are required")
        }
        let maxTokens = try count(tokensValue, at: "\(path).maxTokens")
        guard (1...1000).contains(maxTokens) else { throw invalid("\(path).maxTokens", "must be in 1...1000") }
        let ratio = try number(ratioValue, at: "\(path).tokenRatio")
        guard ratio > 0 else { throw invalid("\(path).tokenRatio", "must be > 0") }
        return RetryThrottlingPolicy(maxTokens: maxTokens, tokenRatio: ratio)
    }

    static func methodConfig(_ value: ConfigValue, at path: String) throws(RPCError) -> ServiceConfig.MethodConfig {
        let fields = try object(
            value,
            at: path,
            known: [
                "name", "waitForReady", "timeout", "maxRequestMessageBytes", "maxResponseMessageBytes",
                "retryPolicy", "hedgingPolicy",
            ]
        )
        var names: [Name] = []
        for (index, entry) in try array(fields["name"] ?? .array([]), at: "\(path).name").enumerated() {
            let namePath = "\(path).name[\(index)]"
            let parts = try object(entry, at: namePath, known: ["service", "method"])
            let service = try parts["service"].map { v throws(RPCError) in try string(v, at: "\(namePath).service") }
            let method = try parts["method"].map { v throws(RPCError) in try string(v, at: "\(namePath).method") }
            if (service ?? "").isEmpty, !(method ?? "").isEmpty {
                throw invalid(namePath, "a method name needs its service")
            }
            names.append(Name(service: service, method: method))
        }
        var config = ServiceConfig.MethodConfig(names: names)
        if let v = fields["waitForReady"] { config.waitForReady = try bool(v, at: "\(path).waitForReady") }
        if let v = fields["timeout"] { config.timeout = try duration(v, at: "\(path).timeout") }
        if let v = fields["maxRequestMessageBytes"] {
            config.maxRequestMessageBytes = try count(v, at: "\(path).maxRequestMessageBytes")
        }
        if let v = fields["maxResponseMessageBytes"] {
            config.maxResponseMessageBytes = try count(v, at: "\(path).maxResponseMessageBytes")
        }
        if fields["retryPolicy"] != nil, fields["hedgingPolicy"] != nil {
            throw invalid(path, "retryPolicy and hedgingPolicy are exclusive")
        }
        if let v = fields["retryPolicy"] { config.retryPolicy = try retryPolicy(v, at: "\(path).retryPolicy") }
        if let v = fields["hedgingPolicy"] { config.hedgingPolicy = try hedgingPolicy(v, at: "\(path).hedgingPolicy") }
        return config
    }

    static func retryPolicy(_ value: ConfigValue, at path: String) throws(RPCError) -> RetryPolicy {
        let fields = try object(
            value,
            at: path,
            known: ["maxAttempts", "initialBackoff", "maxBackoff", "backoffMultiplier", "retryableStatusCodes"]
        )
        let maxAttempts = try attempts(fields["maxAttempts"], at: "\(path).maxAttempts")
        guard let initialValue = fields["initialBackoff"], let maxValue = fields["maxBackoff"] else {
            throw invalid(path, "initialBackoff and maxBackoff are required")
        }
        let initialBackoff = try duration(initialValue, at: "\(path).initialBackoff")
        let maxBackoff = try duration(maxValue, at: "\(path).maxBackoff")
        guard initialBackoff > .zero else { throw invalid("\(path).initialBackoff", "must be > 0") }
        guard maxBackoff > .zero else { throw invalid("\(path).maxBackoff", "must be > 0") }
        guard let multiplierValue = fields["backoffMultiplier"] else {
            throw invalid(path, "backoffMultiplier is required")
        }
        let multiplier = try number(multiplierValue, at: "\(path).backoffMultiplier")
        guard multiplier > 0 else { throw invalid("\(path).backoffMultiplier", "must be > 0") }
        let codes = try statusCodes(fields["retryableStatusCodes"], at: "\(path).retryableStatusCodes")
        guard !codes.isEmpty else { throw invalid("\(path).retryableStatusCodes", "must not be empty") }
        return RetryPolicy(
            maxAttempts: maxAttempts,
            initialBackoff: initialBackoff,
            maxBackoff: maxBackoff,
            backoffMultiplier: multiplier,
            retryableStatusCodes: codes
        )
    }

    static func hedgingPolicy(_ value: ConfigValue, at path: String) throws(RPCError) -> HedgingPolicy {
        let fields = try object(value, at: path, known: ["maxAttempts", "hedgingDelay", "nonFatalStatusCodes"])
        let maxAttempts = try attempts(fields["maxAttempts"], at: "\(path).maxAttempts")
        let delay = try fields["hedgingDelay"].map { v throws(RPCError) in try duration(v, at: "\(path).hedgingDelay") }
        let codes = try statusCodes(fields["nonFatalStatusCodes"], at: "\(path).nonFatalStatusCodes")
        return HedgingPolicy(maxAttempts: maxAttempts, hedgingDelay: delay ?? .zero, nonFatalStatusCodes: codes)
    }

    /// `maxAttempts`: required, > 1; values above 5 mean 5 (A6).
    static func attempts(_ value: ConfigValue?, at path: String) throws(RPCError) -> Int {
        guard let value else { throw invalid(path, "is required") }
        let attempts = try count(value, at: path)
        guard attempts > 1 else { throw invalid(path, "must be > 1") }
        return min(attempts, 5)
    }

    static func statusCodes(_ value: ConfigValue?, at path: String) throws(RPCError) -> Set<Status.Code> {
        var codes: Set<Status.Code> = []
        for (index, item) in try array(value ?? .array([]), at: path).enumerated() {
            switch item {
            case .string(let name):
                guard let code = Status.Code(name: name) else {
                    throw invalid("\(path)[\(index)]", "unknown status code \(name)")
                }
                codes.insert(code)
            case .number(let number):
                guard number.rounded() == number, number >= 0, number < 100,
                    let code = Status.Code(rawValue: Int(number))
                else {
                    throw invalid("\(path)[\(index)]", "unknown status code \(number)")
                }
                codes.insert(code)
            default:
                throw invalid("\(path)[\(index)]", "must be a status code name or number")
            }
        }
        return codes
    }

    static func duration(_ value: ConfigValue, at path: String) throws(RPCError) -> Duration {
        let text = try string(value, at: path)
        guard let parsed = ServiceConfig.parseDuration(text) else {
            throw invalid(path, "'\(text)' is not a duration such as \"1.5s\"")
        }
        return parsed
    }
}

extension ServiceConfig {
    /// Parses a protobuf JSON duration such as `"1.5s"` or `"0.000001s"`; nil when malformed or
    /// negative.
    static func parseDuration(_ text: String) -> Duration? {
        guard let (seconds, nanos) = WellKnownJSON.parseDuration(text), seconds >= 0, nanos >= 0 else { return nil }
        return .seconds(seconds) + .nanoseconds(Int64(nanos))
    }
}
