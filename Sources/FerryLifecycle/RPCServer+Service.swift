/// Public: the conformances are on FerryRPC's `RPCServer` and `RPCClient`.
public import FerryRPC
/// Public: the protocol they conform to is ServiceLifecycle's `Service`.
public import ServiceLifecycle

/// An ``FerryRPC/RPCServer`` runs in a swift-service-lifecycle `ServiceGroup` next to the other
/// services of a process (a Hummingbird app, a Kafka consumer, the registry):
///
/// ```swift
/// let group = ServiceGroup(
///     services: [server, client],
///     gracefulShutdownSignals: [.sigterm, .sigint],
///     logger: logger
/// )
/// try await group.run()
/// ```
///
/// On SIGTERM the group asks each service to shut down gracefully: the server begins its graceful
/// shutdown (health turns NOT_SERVING, new calls are refused, open calls finish within the
/// transport's grace period) and `run()` returns when it is done.
extension RPCServer: Service {
    /// Serves until the service group shuts down gracefully (or the task is cancelled).
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await serve()
        } onGracefulShutdown: {
            beginGracefulShutdown()
        }
    }
}

/// An ``FerryRPC/RPCClient`` runs its connections as a service: they close once open calls end
/// when the group shuts down gracefully.
extension RPCClient: Service {
    /// Runs the client's connections until the service group shuts down gracefully.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await runConnections()
        } onGracefulShutdown: {
            beginGracefulShutdown()
        }
    }
}
