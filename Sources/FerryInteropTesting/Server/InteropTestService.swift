/// Public: the service conforms to FerryRPC's `RPCService` and registers with its `RPCRouter`.
public import FerryRPC

/// The interop test service to serve with an ``RPCServer``: grpc.testing.TestService as grpc's
/// interop test descriptions specify it.
///
/// ```swift
/// let server = RPCServer(transport: transport, services: [InteropTestService()])
/// ```
///
/// grpc.testing.UnimplementedService is deliberately not part of it, so calls to it exercise the
/// server's answer for unknown services.
public struct InteropTestService: RPCService {
    /// Creates the service; it holds no state, each call is answered from its request alone.
    public init() {}

    /// Registers a handler for each grpc.testing.TestService method with `router`.
    public func registerMethods(with router: inout RPCRouter) {
        TestServiceImplementation().registerMethods(with: &router)
    }
}
