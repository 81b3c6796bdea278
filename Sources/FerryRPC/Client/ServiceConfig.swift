/// A channel's gRPC service config (doc/service_config.md): its load-balancing policy, retry
/// throttling and per-method settings (wait-for-ready, timeouts, message size limits, retry or
/// hedging policy), matched by service and method name.
///
/// Give it to the client transport, which owns it for its channel (a name resolver may later supply
/// another); ``CallOptions`` override the per-method settings call by call. Parse the JSON form with
/// ``init(json:)``.
public struct ServiceConfig: Sendable, Hashable {
    /// How a channel spreads calls over the addresses its target resolves to.
    public enum LoadBalancingPolicy: Sendable, Hashable {
        /// Connect to the addresses in order and send every call over the first that works; move on
        /// when it fails (gRPC's default). `shuffleAddressList` shuffles the addresses first, so that
        /// many clients of one list spread out.
        case pickFirst(shuffleAddressList: Bool = false)
        /// Keep a connection to every address and send calls to the ready ones in turn.
        case roundRobin
    }

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
        /// Whether calls wait for a ready connection instead of failing fast with UNAVAILABLE while
        /// the channel is in TRANSIENT_FAILURE.
        public var waitForReady: Bool?
        /// The default timeout of these methods.
        public var timeout: Duration?
        /// The largest request message.
        public var maxRequestMessageBytes: Int?
        /// The largest response message.
        public var maxResponseMessageBytes: Int?
        /// The retry policy (exclusive with ``hedgingPolicy``).
        public var retryPolicy: RetryPolicy?
        /// The hedging policy (exclusive with ``retryPolicy``).
        public var hedgingPolicy: HedgingPolicy?

        /// Creates a method config.
        public init(
            names: [Name],
            waitForReady: Bool? = nil,
            timeout: Duration? = nil,
            maxRequestMessageBytes: Int? = nil,
            maxResponseMessageBytes: Int? = nil,
            retryPolicy: RetryPolicy? = nil,
            hedgingPolicy: HedgingPolicy? = nil
        ) {
            self.names = names
            self.waitForReady = waitForReady
            self.timeout = timeout
            self.maxRequestMessageBytes = maxRequestMessageBytes
            self.maxResponseMessageBytes = maxResponseMessageBytes
            self.retryPolicy = retryPolicy
            self.hedgingPolicy = hedgingPolicy
        }
    }

    /// The load-balancing policy. Default ``LoadBalancingPolicy/pickFirst(shuffleAddressList:)``.
    public var loadBalancingPolicy: LoadBalancingPolicy
    /// The method configs, most specific match wins.
    public var methodConfigs: [MethodConfig]
    /// The retry throttling policy; nil retries without throttling.
    public var retryThrottling: RetryThrottlingPolicy?

    /// Creates a service config.
    public init(
        loadBalancingPolicy: LoadBalancingPolicy = .pickFirst(),
        methodConfigs: [MethodConfig] = [],
        retryThrottling: RetryThrottlingPolicy? = nil
    ) {
        self.loadBalancingPolicy = loadBalancingPolicy
        self.methodConfigs = methodConfigs
        self.retryThrottling = retryThrottling
    }

    /// The config for a method: an exact service+method match, else a whole-service match, else the
    /// catch-all entry.
    public func config(for method: MethodDescriptor) -> MethodConfig? {
        guard !methodConfigs.isEmpty else { return nil }
        func find(_ matches: (MethodConfig.Name) -> Bool) -> MethodConfig? {
            methodConfigs.first { $0.names.contains(where: matches) }
        }
        return find { $0.service == method.service && $0.method == method.method }
            ?? find { $0.service == method.service && ($0.method ?? "").isEmpty }
            ?? find { ($0.service ?? "").isEmpty && ($0.method ?? "").isEmpty }
    }
}
