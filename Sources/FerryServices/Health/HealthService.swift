/// Public: the service conforms to FerryRPC's `RPCService`.
public import FerryRPC
import Synchronization

/// gRPC's health service (`grpc.health.v1.Health`): what Kubernetes probes, load balancers and
/// `grpc-health-probe` ask before sending a server calls.
///
/// Add it to a server in one line and set each service's status as it changes:
///
/// ```swift
/// let health = HealthService()                       // the server itself ("") is SERVING
/// let server = RPCServer(transport: transport, services: [Payments(), health])
/// health.setStatus(.notServing, forService: "acme.Payments")   // e.g. while its database is down
/// ```
///
/// `Check` answers NOT_FOUND for a service it was never told about; `Watch` streams the current
/// status and then every change (SERVICE_UNKNOWN for an unknown service, until it is set). When
/// the server begins a graceful shutdown, every service turns NOT_SERVING for good, so that
/// clients stop sending calls before the server stops taking them.
public final class HealthService: Sendable {
    /// What a service reports.
    public enum Status: Sendable, Hashable {
        /// Calls are welcome.
        case serving
        /// The service exists but should not get calls now.
        case notServing
    }

    fileprivate typealias ServingStatus = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var statuses: [String: Status]
        var watchers: [String: [Int: AsyncStream<ServingStatus>.Continuation]] = [:]
        var nextWatcher = 0
        /// Set by a graceful shutdown: every status is NOT_SERVING and stays so.
        var shutDown = false
    }

    private let state: Mutex<State>

    /// A health service reporting `statuses`; the server as a whole (service "") is SERVING unless
    /// `statuses` says otherwise.
    public init(statuses: [String: Status] = [:]) {
        var initial = statuses
        if initial[""] == nil { initial[""] = .serving }
        state = Mutex(State(statuses: initial))
    }

    /// Sets the status of `service` (a fully-qualified service name, or "" for the whole server)
    /// and tells its watchers. Ignored once the server is shutting down.
    public func setStatus(_ status: Status, forService service: String) {
        let watchers = state.withLock { state -> [AsyncStream<ServingStatus>.Continuation] in
            guard !state.shutDown, state.statuses[service] != status else { return [] }
            state.statuses[service] = status
            return Array(state.watchers[service, default: [:]].values)
        }
        for watcher in watchers { watcher.yield(Self.wire(status)) }
    }

    /// Forgets `service`: `Check` answers NOT_FOUND again and watchers see SERVICE_UNKNOWN.
    public func removeService(_ service: String) {
        let watchers = state.withLock { state -> [AsyncStream<ServingStatus>.Continuation] in
            guard !state.shutDown, state.statuses.removeValue(forKey: service) != nil else { return [] }
            return Array(state.watchers[service, default: [:]].values)
        }
        for watcher in watchers { watcher.yield(.serviceUnknown) }
    }

    /// Marks every service NOT_SERVING for good; the server calls it when a graceful shutdown
    /// begins.
    public func markAllNotServing() {
        let watchers = state.withLock { state -> [(AsyncStream<ServingStatus>.Continuation, ServingStatus)] in
            state.shutDown = true
            for service in state.statuses.keys { state.statuses[service] = .notServing }
            return state.watchers.flatMap { service, watchers in
                watchers.values.map {
                    ($0, state.statuses[service] == nil ? ServingStatus.serviceUnknown : .notServing)
                }
            }
        }
        for (watcher, status) in watchers { watcher.yield(status) }
    }

    /// The status `Check` reports for `service`; nil when it is unknown.
    public func status(ofService service: String) -> Status? {
        state.withLock { $0.statuses[service] }
    }

    /// Every service's status.
    var allStatuses: [String: Status] { state.withLock { $0.statuses } }

    fileprivate static func wire(_ status: Status) -> ServingStatus {
        switch status {
        case .serving: .serving
        case .notServing: .notServing
        }
    }

    fileprivate static func response(_ status: ServingStatus) -> Grpc_Health_V1_HealthCheckResponse {
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = status
        return response
    }

    /// A stream of `service`'s statuses, starting with the current one. Only the newest status is
    /// kept for a slow reader: a watcher costs one buffered status however often it changes.
    fileprivate func watch(_ service: String) -> AsyncStream<Grpc_Health_V1_HealthCheckResponse.ServingStatus> {
        let (stream, continuation) = AsyncStream<ServingStatus>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[service, default: [:]][id] = continuation
            continuation.yield(state.statuses[service].map(Self.wire) ?? .serviceUnknown)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                state.watchers[service]?[id] = nil
                if state.watchers[service]?.isEmpty == true { state.watchers[service] = nil }
            }
        }
        return stream
    }
}

extension HealthService: RPCService {
    /// Registers Check, List and Watch, and marks everything NOT_SERVING when the server begins a
    /// graceful shutdown.
    public func registerMethods(with router: inout RPCRouter) {
        HealthHandlers(health: self).registerMethods(with: &router)
        router.onGracefulShutdown { self.markAllNotServing() }
    }

    fileprivate static func response(_ status: Status?) -> Grpc_Health_V1_HealthCheckResponse {
        response(status.map(wire) ?? .serviceUnknown)
    }
}

/// The generated service protocol's handlers, over a ``HealthService``'s state.
private struct HealthHandlers: Grpc_Health_V1_Health.ServiceProtocol {
    let health: HealthService

    func check(
        _ request: ServerRequest<Grpc_Health_V1_HealthCheckRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Grpc_Health_V1_HealthCheckResponse> {
        let service = request.message.service
        guard let status = health.status(ofService: service) else {
            throw RPCError(code: .notFound, message: "Unknown service '\(service)'.")
        }
        return ServerResponse(message: HealthService.response(status))
    }

    func list(
        _ request: ServerRequest<Grpc_Health_V1_HealthListRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Grpc_Health_V1_HealthListResponse> {
        var response = Grpc_Health_V1_HealthListResponse()
        for (service, status) in health.allStatuses {
            response.statuses[service] = HealthService.response(status)
        }
        return ServerResponse(message: response)
    }

    func watch(
        _ request: ServerRequest<Grpc_Health_V1_HealthCheckRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse> {
        let statuses = health.watch(request.message.service)
        return StreamingServerResponse { writer in
            // Ends when the client cancels: the handler's task is cancelled, which ends the stream.
            for await status in statuses {
                try await writer.write(HealthService.response(status))
            }
            return [:]
        }
    }
}
